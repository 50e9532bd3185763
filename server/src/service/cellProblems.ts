/**
 * What a bad cell is called and how it is explained: the rule a cell check's outcome belongs to,
 * its message, and the quick fix it can offer. Validation decides where the problems are.
 */
import { showable } from '../catalog/decodeText';
import type { FieldSpec } from '../catalog/fields';
import { reachableTcpFlagsText, unreachableTcpFlagsReason } from '../catalog/tcpFlags';
import { VALUE_KINDS } from '../catalog/kinds';
import { Cell, type CellCode } from '../catalog/values';
import type { RuleCode } from './rules';
import type { FixHint } from './problems';

export function spacingMessage(text: string, start: number, end: number): string {
  const gap = text.slice(start, end);
  if (gap.includes('\t')) return 'Fields are separated by a tab; flow log fields are separated by single spaces.';
  return `Fields are separated by ${gap.length} spaces here; flow log fields are separated by single spaces.`;
}

export function cellRule(code: CellCode, spec: FieldSpec): RuleCode | undefined {
  switch (code) {
    case Cell.BadAddress:
    case Cell.PaddedAddress:
      return 'invalid-address';
    case Cell.Milliseconds:
      return 'millisecond-timestamp';
    case Cell.ImplausibleTime:
      return 'invalid-timestamp';
    case Cell.BadAccount:
      return 'invalid-account-id';
    case Cell.BadId:
    case Cell.BadIdPrefix:
      return 'invalid-resource-id';
    case Cell.UnknownEnum:
      return 'invalid-value';
    case Cell.UnknownOpenEnum:
      return 'unknown-value';
    case Cell.BadShape:
      return 'invalid-shape';
    case Cell.Unsafe:
      return 'unsafe-integer';
    case Cell.ImpossibleFlags:
      return 'impossible-tcp-flags';
    case Cell.NotInteger:
    case Cell.OutOfRange:
    case Cell.Negative:
      if (spec.kind === 'port') return 'invalid-port';
      if (spec.kind === 'protocol') return 'invalid-protocol';
      if (spec.kind === 'time') return 'invalid-timestamp';
      if (spec.kind === 'trafficPath') return 'invalid-value';
      return 'invalid-number';
    default:
      return undefined;
  }
}

export function cellMessage(code: CellCode, spec: FieldSpec, value: string): string {
  // Quoted from the file: cut, and control or bidi characters shown as escapes.
  const shown = showable(value.length > 40 ? value.slice(0, 40) + '…' : value);
  switch (code) {
    case Cell.BadAddress:
      return `${spec.name} '${shown}' is not an IPv4 or IPv6 address.`;
    case Cell.PaddedAddress:
      return `${spec.name} '${shown}' has zero-padded octets, which AWS never writes and strict parsers reject (some read them as octal); written plainly it is ${unpadded(value)}.`;
    case Cell.Milliseconds:
      return `${spec.name} ${value} looks like milliseconds; read as ${new Date(Number(value)).toISOString().replace('.000Z', 'Z')}.`;
    case Cell.ImplausibleTime:
      return `${spec.name} ${shown} is not a plausible Unix time (after the year 2100).`;
    case Cell.BadAccount:
      return `account ID '${shown}' should be 12 digits or 'unknown'.`;
    case Cell.BadIdPrefix:
      return `${spec.name} '${shown}' should start with ${(spec.idPrefixes ?? []).map((p) => `'${p}'`).join(' or ')}.`;
    case Cell.BadId:
      return `${spec.name} '${shown}' is not a well-formed ID (prefix, then 8 to 17 lower-case hex digits).${nonAscii(value)}`;
    case Cell.UnknownEnum:
    case Cell.UnknownOpenEnum: {
      const allowed = spec.kind === 'trafficPath' ? `${VALUE_KINDS.trafficPath.min}–${VALUE_KINDS.trafficPath.max}` : (spec.values ?? []).map((v) => v.value).join(', ');
      const suggestion = enumSuggestion(spec, value);
      return `${spec.name} '${shown}' is not ${code === Cell.UnknownOpenEnum ? 'a value flowlog knows' : 'valid'}; expected ${allowed}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
    }
    case Cell.BadShape:
      return `${spec.name} '${shown}' does not look like ${VALUE_KINDS[spec.kind].expected ?? VALUE_KINDS.arn.expected}.`;
    case Cell.Unsafe:
      return `${spec.name} ${shown} is larger than 2^53; JSON numbers lose precision there.`;
    case Cell.ImpossibleFlags: {
      const flags = Number(value);
      return `${spec.name} ${shown} cannot come from AWS: ${unreachableTcpFlagsReason(flags)}. Flow logs record only FIN (1), SYN (2), RST (4) and SYN-ACK (18), OR-ed over the interval, so the possible values are ${reachableTcpFlagsText()}.`;
    }
    case Cell.Negative:
      return `${spec.name} ${shown} is negative; expected ${VALUE_KINDS[spec.kind].expected ?? 'a non-negative integer'}.`;
    case Cell.OutOfRange:
      return `${spec.name} ${shown} is out of range; expected ${VALUE_KINDS[spec.kind].expected ?? 'a smaller integer'}.`;
    default:
      return `${spec.name} '${shown}' is not ${VALUE_KINDS[spec.kind].expected ?? 'an integer'}.`;
  }
}

function nonAscii(value: string): string {
  const match = /[^\x20-\x7e]/.exec(value);
  if (!match) return '';
  const code = match[0].codePointAt(0) ?? 0;
  return ` It contains the non-ASCII character '${showable(match[0])}' (U+${code.toString(16).toUpperCase().padStart(4, '0')}), perhaps a look-alike letter.`;
}

/** A close allowed value: case slips (`accept`), digit-for-letter (`0K`). */
function enumSuggestion(spec: FieldSpec, value: string): string | undefined {
  const values = spec.values ?? [];
  const folded = value.toUpperCase().replace(/0/g, 'O');
  return values.find((v) => v.value.toUpperCase() === folded || v.value.toUpperCase() === value.toUpperCase())?.value;
}

/** `138.000.000.248` → `138.0.0.248`. */
function unpadded(address: string): string {
  return address.split('.').map((octet) => String(Number(octet))).join('.');
}

export function cellFix(code: CellCode, spec: FieldSpec, value: string): FixHint | undefined {
  if (code === Cell.PaddedAddress) return { kind: 'replace', replacement: unpadded(value) };
  if (code === Cell.UnknownEnum || code === Cell.UnknownOpenEnum) {
    const replacement = enumSuggestion(spec, value);
    if (replacement) return { kind: 'replace', replacement };
  }
  return undefined;
}
