/**
 * Semantic tokens: every record value coloured by its field's class (FieldSpec.fieldClass), with
 * ACCEPT/REJECT and OK/NODATA told apart, `-` as null, header and directive names, comments and
 * CloudWatch timestamps. Only the lines asked for are parsed, so a viewport of a 50 MB document
 * costs the same as a viewport of a small one.
 */
import type { FieldClass, FieldSpec } from '../catalog/fields';
import { Cell, checkCell } from '../catalog/values';
import type { FlowLogDocument } from './document';
import { parseLine, type ParsedLine } from './parse';
import { directiveBodyStart, skipBlanks } from './scan';
import { isRecognised } from './formatModel';

/** Token types, in legend order (the index is what the encoding carries). */
export const SEMANTIC_TOKEN_TYPES = [
  'flowlogVersion',
  'flowlogAccount',
  'flowlogResource',
  'flowlogAddress',
  'flowlogPort',
  'flowlogProtocol',
  'flowlogCounter',
  'flowlogTime',
  'flowlogAction',
  'flowlogAccept',
  'flowlogReject',
  'flowlogStatus',
  'flowlogNoData',
  'flowlogFlags',
  'flowlogDirection',
  'flowlogLocation',
  'flowlogService',
  'flowlogMetadata',
  'flowlogNull',
  'flowlogValue',
  'flowlogFieldName',
  'flowlogComment',
  'flowlogDirective',
  'flowlogTimestamp',
] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

/**
 * Modifiers: `invalid` for a value that does not fit its field, an unknown header name, or a value
 * past the format's width; `ambiguous` for a column whose field inference only guessed.
 */
export const SEMANTIC_TOKEN_MODIFIERS = ['invalid', 'ambiguous'] as const;

export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

/**
 * TextMate scopes per token type for the manifest's `semanticTokenScopes`, so that themes without
 * semantic colouring still colour every type. They follow syntaxes/flowlog.tmLanguage.json where
 * the grammar has the same notion; a theme uses the first scope it has a rule for.
 */
/** First scope: a standard category that themes colour distinctly; then the grammar's own scope. */
export const SEMANTIC_TOKEN_SCOPES: Readonly<Record<SemanticTokenType, readonly string[]>> = {
  flowlogVersion: ['constant.numeric.integer.version.flowlog', 'constant.numeric.integer.flowlog'],
  flowlogAccount: ['entity.name.namespace.account-id.flowlog', 'variable.other.constant.account-id.flowlog'],
  flowlogResource: ['entity.name.type.resource-id.flowlog', 'entity.name.tag.resource-id.flowlog'],
  // Light+ colours strings maroon, too close to REJECT's red; support.constant.property-value is
  // the string colour (orange) in Dark+ and blue in Light+. Other themes colour it as a constant.
  flowlogAddress: ['support.constant.property-value.address.flowlog', 'string.unquoted.address.flowlog', 'constant.numeric.ip.flowlog'],
  flowlogPort: ['constant.numeric.integer.port.flowlog', 'constant.numeric.integer.flowlog'],
  flowlogProtocol: ['keyword.control.protocol.flowlog', 'support.type.protocol.flowlog'],
  flowlogCounter: ['constant.numeric.integer.counter.flowlog', 'constant.numeric.integer.flowlog'],
  flowlogTime: ['variable.parameter.time.flowlog', 'constant.numeric.integer.time.flowlog'],
  flowlogAction: ['support.constant.reject-reason.flowlog', 'support.constant.flowlog'],
  // ACCEPT and REJECT must tell apart at a glance from each other and from numbers and addresses.
  // Dark+/Light+ (and so Dark/Light Modern) colour markup.inserted like numbers and markup.deleted
  // like strings (addresses), so those come second: support.type is teal there, invalid red, and
  // most themes colour invalid loudly (Monokai with a background). Themes without a support.type
  // rule fall back to markup.inserted.
  flowlogAccept: ['support.type.accept.flowlog', 'markup.inserted.accept.flowlog', 'keyword.other.accept.flowlog'],
  flowlogReject: ['invalid.illegal.reject.flowlog', 'markup.deleted.reject.flowlog', 'keyword.other.reject.flowlog'],
  flowlogStatus: ['constant.language.log-status.ok.flowlog'],
  flowlogNoData: ['constant.language.log-status.nodata.flowlog'],
  flowlogFlags: ['support.function.flags.flowlog', 'constant.numeric.integer.flags.flowlog'],
  flowlogDirection: ['storage.modifier.direction.flowlog', 'support.constant.flow-direction.flowlog'],
  flowlogLocation: ['entity.other.attribute-name.location.flowlog', 'support.constant.region.flowlog'],
  flowlogService: ['support.class.aws-service.flowlog', 'support.constant.aws-service.flowlog'],
  flowlogMetadata: ['variable.other.metadata.flowlog', 'entity.name.tag.arn.flowlog'],
  flowlogNull: ['constant.language.null.flowlog'],
  flowlogValue: ['string.unquoted.value.flowlog'],
  flowlogFieldName: ['variable.other.field-name.flowlog'],
  flowlogComment: ['comment.line.number-sign.flowlog'],
  flowlogDirective: ['keyword.control.directive.flowlog'],
  flowlogTimestamp: ['constant.other.timestamp.flowlog'],
};

/** For the manifest's `semanticTokenTypes`: a standard super type (theme fallback) and a description. */
export const SEMANTIC_TOKEN_TYPE_INFO: Readonly<Record<SemanticTokenType, { superType: string; description: string }>> = {
  flowlogVersion: { superType: 'number', description: 'Flow log version' },
  flowlogAccount: { superType: 'variable', description: 'AWS account ID' },
  flowlogResource: { superType: 'type', description: 'Resource ID (eni-, vpc-, subnet-, i-, tgw-, …)' },
  flowlogAddress: { superType: 'number', description: 'IPv4 or IPv6 address' },
  flowlogPort: { superType: 'number', description: 'Port' },
  flowlogProtocol: { superType: 'enumMember', description: 'Protocol number or traffic type' },
  flowlogCounter: { superType: 'number', description: 'Packets, bytes and other counters' },
  flowlogTime: { superType: 'number', description: 'Start or end time' },
  flowlogAction: { superType: 'enumMember', description: 'Action-related value (reject reason)' },
  flowlogAccept: { superType: 'enumMember', description: 'ACCEPT' },
  flowlogReject: { superType: 'enumMember', description: 'REJECT' },
  flowlogStatus: { superType: 'enumMember', description: 'Log status OK' },
  flowlogNoData: { superType: 'enumMember', description: 'Log status NODATA or SKIPDATA' },
  flowlogFlags: { superType: 'number', description: 'TCP flags or encryption status' },
  flowlogDirection: { superType: 'enumMember', description: 'Flow direction or traffic path' },
  flowlogLocation: { superType: 'string', description: 'Region, Availability Zone or sublocation' },
  flowlogService: { superType: 'enumMember', description: 'AWS service name' },
  flowlogMetadata: { superType: 'string', description: 'ECS, tag and other metadata' },
  flowlogNull: { superType: 'keyword', description: 'No value (-)' },
  flowlogValue: { superType: 'string', description: 'Value without a known field' },
  flowlogFieldName: { superType: 'property', description: 'Field name in a header line or directive' },
  flowlogComment: { superType: 'comment', description: 'Comment' },
  flowlogDirective: { superType: 'keyword', description: 'Format directive (# fields:)' },
  flowlogTimestamp: { superType: 'string', description: 'CloudWatch Logs timestamp prefix' },
};

const TYPE_INDEX = new Map<string, number>(SEMANTIC_TOKEN_TYPES.map((type, index) => [type, index]));
const type = (name: SemanticTokenType): number => TYPE_INDEX.get(name) ?? 0;

const INVALID = 1 << SEMANTIC_TOKEN_MODIFIERS.indexOf('invalid');
const AMBIGUOUS = 1 << SEMANTIC_TOKEN_MODIFIERS.indexOf('ambiguous');

const CLASS_TYPES: Readonly<Record<FieldClass, SemanticTokenType>> = {
  version: 'flowlogVersion',
  account: 'flowlogAccount',
  resource: 'flowlogResource',
  address: 'flowlogAddress',
  port: 'flowlogPort',
  protocol: 'flowlogProtocol',
  counter: 'flowlogCounter',
  time: 'flowlogTime',
  action: 'flowlogAction',
  status: 'flowlogStatus',
  flags: 'flowlogFlags',
  direction: 'flowlogDirection',
  location: 'flowlogLocation',
  service: 'flowlogService',
  metadata: 'flowlogMetadata',
};

/** Type of a record value; ACCEPT/REJECT and the log statuses get their own. */
function valueType(spec: FieldSpec, raw: string): SemanticTokenType {
  if (raw === '-') return 'flowlogNull';
  if (spec.name === 'action') return raw === 'ACCEPT' ? 'flowlogAccept' : raw === 'REJECT' ? 'flowlogReject' : 'flowlogAction';
  if (spec.name === 'log-status') return raw === 'NODATA' || raw === 'SKIPDATA' ? 'flowlogNoData' : 'flowlogStatus';
  return CLASS_TYPES[spec.fieldClass];
}

/** Cell codes that mean the value is wrong (milliseconds, big integers and new enum values are only notes). */
function isInvalidCell(code: number): boolean {
  return code > Cell.Null && code !== Cell.Milliseconds && code !== Cell.UnknownOpenEnum && code !== Cell.Unsafe;
}

/** Collects tokens in document order and encodes them relative to the previous one. */
class TokenEncoder {
  readonly data: number[] = [];
  private line = 0;
  private character = 0;

  push(line: number, start: number, length: number, tokenType: SemanticTokenType, modifiers = 0): void {
    if (length <= 0) return;
    const deltaLine = line - this.line;
    const deltaStart = deltaLine === 0 ? start - this.character : start;
    this.data.push(deltaLine, deltaStart, length, type(tokenType), modifiers);
    this.line = line;
    this.character = start;
  }
}

function encodeRecord(doc: FlowLogDocument, parsed: ParsedLine, lineStart: number, lineEnd: number, out: TokenEncoder, values: boolean): void {
  const { line, format } = parsed;
  if (parsed.timestamp) out.push(line, parsed.timestamp.start, parsed.timestamp.end - parsed.timestamp.start, 'flowlogTimestamp');
  if (values) {
    const width = format.names.length;
    // On a line with the wrong number of fields the columns are shifted, so cells are not judged.
    const aligned = parsed.tokenCount === width;
    for (const token of parsed.tokens) {
      const length = token.end - token.start;
      const spec = token.field;
      if (token.index >= width || !spec) {
        out.push(line, token.start, length, token.text === '-' ? 'flowlogNull' : 'flowlogValue', token.index >= width ? INVALID : 0);
        continue;
      }
      let modifiers = 0;
      if (format.ambiguousColumns.includes(token.index)) modifiers |= AMBIGUOUS;
      else if (aligned && isInvalidCell(checkCell(spec, doc.lines.textOf(line), lineStart + token.start, lineStart + token.end))) modifiers |= INVALID;
      out.push(line, token.start, length, valueType(spec, token.text), modifiers);
    }
  }
  if (parsed.commentStart !== undefined) out.push(line, parsed.commentStart, lineEnd - lineStart - parsed.commentStart, 'flowlogComment');
}

function encodeDeclaration(doc: FlowLogDocument, parsed: ParsedLine, lineStart: number, lineEnd: number, out: TokenEncoder): void {
  const { line } = parsed;
  const text = doc.lines.textOf(line);
  let after = skipBlanks(text, lineStart, lineEnd);
  if (parsed.kind === 'directive') {
    const body = directiveBodyStart(text, after);
    if (body > after) {
      out.push(line, after - lineStart, body - after, 'flowlogDirective');
      after = body;
    }
  }
  for (const name of parsed.names ?? []) {
    if (name.start < after - lineStart) continue;
    out.push(line, name.start, name.end - name.start, 'flowlogFieldName', name.field ? 0 : INVALID);
    after = lineStart + name.end;
  }
  // A remark after the names, such as `(default v2)` or a trailing `#comment`.
  let rest = after;
  while (rest < lineEnd && (text.charCodeAt(rest) === 32 || text.charCodeAt(rest) === 9 || text.charCodeAt(rest) === 125)) rest++;
  if (rest < lineEnd) out.push(line, rest - lineStart, lineEnd - rest, 'flowlogComment');
}

/**
 * Values coloured per line. A line of a million values (a file joined into one line) would
 * otherwise make a reply of tens of MB; past this, VS Code's grammar colours stay.
 */
export const MAX_TOKENS_PER_LINE = 10_000;

/**
 * Tokens of lines [startLine, endLine] (all lines without a range), in LSP's relative encoding:
 * deltaLine, deltaStart, length, type index, modifier bits.
 */
export function semanticTokens(doc: FlowLogDocument, range?: { startLine: number; endLine: number }): number[] {
  const out = new TokenEncoder();
  const last = doc.lines.lineCount - 1;
  const from = Math.max(0, Math.floor(range?.startLine ?? 0));
  const to = Math.min(last, Math.floor(range?.endLine ?? last));
  // In text that is not a flow log, colouring words as fields would mislead; the grammar still colours it.
  const primaryReadable = isRecognised(doc.formats);
  for (let line = from; line <= to; line++) {
    const parsed = parseLine(doc, line, { maxTokens: MAX_TOKENS_PER_LINE });
    if (parsed.kind === 'blank') continue;
    const lineStart = doc.lines.lineStart(line);
    const lineEnd = doc.lines.lineEnd(line);
    if (parsed.kind === 'comment' || parsed.kind === 'export-header') {
      const first = skipBlanks(doc.lines.textOf(line), lineStart, lineEnd);
      out.push(line, first - lineStart, lineEnd - first, 'flowlogComment');
    } else if (parsed.kind === 'record') {
      const values = primaryReadable || parsed.format !== doc.formats.primary;
      encodeRecord(doc, parsed, lineStart, lineEnd, out, values);
      // The other records of a JSON line (one per log event), in line order.
      for (let index = 1; index < parsed.recordCount; index++) {
        encodeRecord(doc, parseLine(doc, line, { maxTokens: MAX_TOKENS_PER_LINE, record: index }), lineStart, lineEnd, out, values);
      }
    } else {
      encodeDeclaration(doc, parsed, lineStart, lineEnd, out);
    }
  }
  return out.data;
}
