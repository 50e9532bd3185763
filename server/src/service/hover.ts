/**
 * Hover: what the token under the cursor is. On a record value: the field, its decoded value and
 * meaning, and for action, log-status and tcp-flags a one-line summary of the whole flow. On a
 * header or directive name: the catalog entry. On a CloudWatch timestamp prefix: what it is.
 * Markdown throughout, with every value from the file in a code span or escaped (a crafted value
 * must not render as a link, an image or HTML); never throws, and positions outside the text give undefined.
 */
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import { decodeValue, humanBytes, type DecodeContext } from '../catalog/decoders';
import { code, escapeMarkdown } from '../catalog/decodeText';
import type { FieldSpec } from '../catalog/fields';
import { VALUE_KINDS } from '../catalog/kinds';
import { portService, protocolHasPorts } from '../catalog/ports';
import { protocolLabel } from '../catalog/protocols';
import { Cell, checkCell, epochMilliseconds } from '../catalog/values';
import type { FlowLogDocument } from './document';
import { suggestFieldName } from './fieldList';
import { describeFormat, isRecognised } from './formatModel';
import { parseLine, TIMESTAMP_KEY, tokenAt, type ParsedLine, type ParsedToken } from './parse';
import { directiveBodyStart, skipBlanks } from './scan';

const SECTION = '\n\n---\n\n';

/** Inline code that survives backticks, line breaks, control characters and very long values. */
export function inlineCode(text: string): string {
  return code(text);
}

function familyLabel(spec: FieldSpec): string {
  return spec.family === 'both' ? 'VPC and Transit Gateway' : spec.family === 'tgw' ? 'Transit Gateway' : 'VPC';
}

/** Catalog entry of a field as markdown (also used for completion documentation). */
export function fieldMarkdown(spec: FieldSpec, options: { tgw?: boolean; column?: number; width?: number } = {}): string {
  const facts = [`Version ${spec.version}`, familyLabel(spec), VALUE_KINDS[spec.kind].label];
  if (options.column !== undefined && options.width) facts.push(`column ${options.column + 1} of ${options.width}`);
  const parts = [`**${spec.title}** · ${inlineCode(spec.name)}`, facts.join(' · '), (options.tgw && spec.tgwDescription) || spec.description];
  if (spec.values?.length) {
    const values = spec.values.map((v) => `- ${inlineCode(v.value)}: ${v.meaning}${v.secondary ? ' (secondary source)' : ''}`);
    parts.push(`${spec.openEnum ? 'Known values (the list grows)' : 'Values'}:\n\n${values.join('\n')}`);
  }
  return parts.join('\n\n');
}

/** Number of a record value, when it is one (bigints past 2^53 lose precision, which is fine for context). */
function numberOf(token: ParsedToken | undefined): number | undefined {
  if (!token) return undefined;
  const { value } = token;
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
}

/** Record tokens within the format's width, by field name. */
function byName(parsed: ParsedLine): Map<string, ParsedToken> {
  const map = new Map<string, ParsedToken>();
  const width = parsed.format.names.length;
  for (const token of parsed.tokens) if (token.index < width && !map.has(token.name)) map.set(token.name, token);
  return map;
}

/** What decoders need from the rest of the record. */
export function decodeContext(parsed: ParsedLine, named: Map<string, ParsedToken> = byName(parsed)): DecodeContext {
  return {
    protocol: numberOf(named.get('protocol')),
    start: numberOf(named.get('start')),
    end: numberOf(named.get('end')),
    packets: numberOf(named.get('packets')),
    bytes: numberOf(named.get('bytes')),
    tgw: parsed.format.kind === 'tgw',
  };
}

function utc(seconds: number): string {
  const date = new Date(epochMilliseconds(seconds));
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().slice(0, 19).replace('T', ' ');
}

function endpoint(address: string, port: string | undefined): string {
  if (port === undefined) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * One line describing the whole flow, e.g. `TCP 10.0.0.1:20641 → 10.0.0.2:22 (SSH), 20 packets,
 * 4.1 KiB, ACCEPT`. Plain text holding values from the file: escape it before it goes into markdown.
 */
export function flowSummary(parsed: ParsedLine): string | undefined {
  const named = byName(parsed);
  const text = (name: string): string | undefined => {
    const raw = named.get(name)?.text;
    if (raw === undefined || raw === '-') return undefined;
    // A summary line, not a dump: a huge cell is cut.
    return raw.length > 80 ? `${raw.slice(0, 79)}…` : raw;
  };
  const status = text('log-status');
  if (status === 'NODATA' || status === 'SKIPDATA') {
    const where = text('interface-id') ?? text('resource-id') ?? text('tgw-attachment-id') ?? text('tgw-id');
    const start = numberOf(named.get('start'));
    const end = numberOf(named.get('end'));
    const when = start !== undefined && end !== undefined ? ` from ${utc(start)} to ${utc(end)} UTC` : '';
    const what = status === 'NODATA' ? 'no traffic in the interval' : 'records were skipped in the interval';
    return `${status}: ${what}${where ? ` on ${where}` : ''}${when}`;
  }
  const src = text('srcaddr');
  const dst = text('dstaddr');
  if (!src || !dst) return undefined;
  const protocol = numberOf(named.get('protocol'));
  const withPorts = protocol === undefined || protocolHasPorts(protocol);
  const srcPort = withPorts ? text('srcport') : undefined;
  const dstPort = withPorts ? text('dstport') : undefined;
  const serviceOf = (port: string | undefined): string | undefined =>
    port !== undefined && /^\d+$/.test(port) ? portService(Number(port), protocol) : undefined;
  const dstService = serviceOf(dstPort);
  const srcService = dstService ? undefined : serviceOf(srcPort);
  let line = `${protocol !== undefined ? protocolLabel(protocol) + ' ' : ''}${endpoint(src, srcPort)}${srcService ? ` (${srcService})` : ''} → ${endpoint(dst, dstPort)}${dstService ? ` (${dstService})` : ''}`;
  const pktSrc = text('pkt-srcaddr');
  const pktDst = text('pkt-dstaddr');
  if ((pktSrc && pktSrc !== src) || (pktDst && pktDst !== dst)) line += ` (packet ${pktSrc ?? src} → ${pktDst ?? dst})`;
  const parts = [line];
  const packets = numberOf(named.get('packets'));
  if (packets !== undefined) parts.push(`${packets} packet${packets === 1 ? '' : 's'}`);
  const bytes = numberOf(named.get('bytes'));
  if (bytes !== undefined) parts.push(humanBytes(bytes));
  const direction = text('flow-direction');
  if (direction) parts.push(direction);
  const action = text('action');
  if (action) parts.push(action);
  else if (status && status !== 'OK') parts.push(status);
  return parts.join(', ');
}

const SUMMARY_FIELDS = new Set(['action', 'log-status', 'tcp-flags']);

function rangeOf(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: 'markdown', value }, range };
}

function recordHover(doc: FlowLogDocument, parsed: ParsedLine, token: ParsedToken): Hover {
  const range = rangeOf(parsed.line, token.start, token.end);
  const format = parsed.format;
  const width = format.names.length;
  const count = parsed.tokenCount;
  if (token.index >= width) {
    const extra = `**Extra value** ${inlineCode(token.text)} · field ${token.index + 1}`;
    const why = `This line has too many fields: ${count}, but the format (${describeFormat(format)}) has ${width}.`;
    const hint = width > 0 && count % width === 0 ? ' It looks like several records on one line.' : '';
    return markdown(`${extra}\n\n${why}${hint}`, range);
  }
  const spec = token.field;
  if (!spec) {
    return markdown(`${inlineCode(token.name)} · column ${token.index + 1} of ${width}\n\nThis column's name is not a flow log field, so its values are not checked.`, range);
  }
  const sections = [`**${spec.title}** · ${inlineCode(spec.name)} · v${spec.version}`];
  const decoded = decodeValue(spec, token.text, decodeContext(parsed));
  const lineStart = doc.lines.lineStart(parsed.line);
  if (decoded?.lines.length) sections.push(decoded.lines.join('\n\n'));
  else if (checkCell(spec, doc.lines.textOf(parsed.line), lineStart + token.start, lineStart + token.end) > Cell.Null) {
    sections.push(`${inlineCode(token.text)} is not a valid ${spec.title.toLowerCase()} value.`);
  }
  sections.push((format.kind === 'tgw' && spec.tgwDescription) || spec.description);
  const notes: string[] = [];
  if (format.ambiguousColumns.includes(token.index)) notes.push(`_Column ${token.index + 1} was inferred from the values and may not be ${spec.name}; add a header line to be sure._`);
  if (count !== width) notes.push(`_This line has ${count} fields but the format has ${width}, so this value may not be ${spec.name}._`);
  if (notes.length) sections.push(notes.join('\n\n'));
  if (SUMMARY_FIELDS.has(spec.name)) {
    const summary = flowSummary(parsed);
    // Addresses, ports and the rest come from the file: escaped, so no value renders as a link or image.
    if (summary) sections.push(`Flow: ${escapeMarkdown(summary)}`);
  }
  return markdown(sections.join(SECTION), range);
}

function timestampHover(parsed: ParsedLine, text: string, start: number, end: number, millis: number): Hover {
  const date = new Date(millis);
  const when = Number.isNaN(date.getTime()) ? '' : `\n\n**${date.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '')} UTC**`;
  const where = parsed.json
    ? 'the `timestamp` of the CloudWatch Logs event whose `message` is this record'
    : 'which CloudWatch Logs exports put before each record';
  const zone = /^\d{4}-\d\d-\d\d[ T][\d:.]+$/.test(text) ? ' A time without a zone is read as UTC.' : '';
  const value = `**CloudWatch Logs timestamp** · ${inlineCode(text)}${when}\n\nThe time of the log event, ${where}. It is not a flow log field and is not part of the record format; \`flowlog parse\` writes it as \`${TIMESTAMP_KEY}\` (milliseconds).${zone}`;
  return markdown(value, rangeOf(parsed.line, start, end));
}

const EXPORT_HEADER_TEXT =
  '**CloudWatch Logs CSV export header** · the columns of an export of log events, such as a Logs Insights result downloaded as CSV. Each row below is the event time, then the flow log record as its message; flowlog reads the record and shows the time on hover.';

const DIRECTIVE_TEXT = 'the field names after it declare the record format of the lines below, like the header line of an S3 flow log file.';

function declarationHover(doc: FlowLogDocument, parsed: ParsedLine, character: number): Hover | undefined {
  const text = doc.lines.textOf(parsed.line);
  const lineStart = doc.lines.lineStart(parsed.line);
  const lineEnd = doc.lines.lineEnd(parsed.line);
  if (parsed.kind === 'directive') {
    const hash = skipBlanks(text, lineStart, lineEnd);
    const body = directiveBodyStart(text, hash);
    if (body >= 0 && character >= hash - lineStart && character < body - lineStart) {
      const keyword = text.slice(hash, body);
      return markdown(`**Format directive** ${inlineCode(keyword)}\n\nA comment that flowlog reads: ${DIRECTIVE_TEXT}`, rangeOf(parsed.line, hash - lineStart, body - lineStart));
    }
  }
  const names = parsed.names ?? [];
  const index = names.findIndex((name) => character >= name.start && character <= name.end);
  if (index < 0) return undefined;
  const name = names[index];
  const range = rangeOf(parsed.line, name.start, name.end);
  if (!name.field) {
    const suggestion = suggestFieldName(name.text);
    return markdown(`${inlineCode(name.text)} is not a flow log field.${suggestion ? ` Did you mean ${inlineCode(suggestion)}?` : ''}`, range);
  }
  return markdown(fieldMarkdown(name.field, { tgw: parsed.format.kind === 'tgw', column: index, width: names.length }), range);
}

/** Hover for a position, or undefined when there is nothing under it. */
export function doHover(doc: FlowLogDocument, position: Position): Hover | undefined {
  try {
    const { line, character } = position;
    if (!Number.isInteger(line) || !Number.isInteger(character) || line < 0 || character < 0 || line >= doc.lines.lineCount) return undefined;
    const length = doc.lines.lineEnd(line) - doc.lines.lineStart(line);
    if (character > length) return undefined;
    const parsed = parseLine(doc, line, { focus: character });
    if (parsed.kind === 'header' || parsed.kind === 'directive') return declarationHover(doc, parsed, character);
    if (parsed.kind === 'export-header') return markdown(EXPORT_HEADER_TEXT, rangeOf(line, 0, length));
    if (parsed.kind !== 'record') return undefined;
    if (parsed.commentStart !== undefined && character > parsed.commentStart) return undefined;
    const stamp = parsed.timestamp;
    if (stamp && character >= stamp.start && character <= stamp.end) {
      const lineStart = doc.lines.lineStart(line);
      return timestampHover(parsed, doc.lines.textOf(line).slice(lineStart + stamp.start, lineStart + stamp.end), stamp.start, stamp.end, stamp.millis);
    }
    // Prose or other text the service could not read as flow logs: explaining its words as fields would mislead.
    if (parsed.format === doc.formats.primary && !isRecognised(doc.formats)) return undefined;
    const token = tokenAt(parsed, character);
    return token ? recordHover(doc, parsed, token) : undefined;
  } catch {
    // A hover is never worth an error in the editor.
    return undefined;
  }
}
