/**
 * What a record format is: field names and catalog entries per column, where the format came
 * from and how sure that is. Detection (format.ts) and inference (infer.ts) both build these.
 */
import { lookupField, type FieldSpec } from '../catalog/fields';
import { DEFAULT_V2, layoutById } from '../catalog/layouts';
import type { ParsedFieldList } from './fieldList';

export type FormatSource = 'option' | 'header' | 'directive' | 'inferred' | 'default';

export interface FlowLogFormat {
  readonly kind: 'vpc' | 'tgw';
  /** Field names in record order (hyphenated when known, as written otherwise). */
  readonly names: readonly string[];
  /** Catalog entry per column; undefined for a name the catalog does not know. */
  readonly fields: readonly (FieldSpec | undefined)[];
  readonly source: FormatSource;
  /** 0–1: how sure the detection is. */
  readonly confidence: number;
  /** Columns whose field inference could not pin down. */
  readonly ambiguousColumns: readonly number[];
  /** Known layout id, when the names match one. */
  readonly layoutId?: string;
  /** Line of the header or directive that declared it. */
  readonly line?: number;
  /** Highest version among the fields. */
  readonly maxVersion: number;
}

export interface FormatSegment {
  readonly fromLine: number;
  readonly format: FlowLogFormat;
  /** The field list of the header or directive line that declared it. */
  readonly declaration?: ParsedFieldList;
  /** Line of that header or directive, when it is not fromLine (comments may precede it). */
  readonly declarationLine?: number;
}

/** Line of a segment's header or directive, or -1 when it has none. */
export function declarationLineOf(segment: FormatSegment): number {
  return segment.declaration ? (segment.declarationLine ?? segment.fromLine) : -1;
}

export interface DocumentFormats {
  readonly primary: FlowLogFormat;
  readonly segments: readonly FormatSegment[];
  /**
   * An explicit format (setting or `--fields`) was given but not used: the file opens with a
   * header line or directive, which names its fields and wins.
   */
  readonly explicitUnused?: boolean;
  /**
   * When the primary format was inferred (or defaulted for want of records): the line after the
   * last one inference read, so an edit above it may change the format.
   */
  readonly inferenceEnd?: number;
}

/** True when the file's format was recognised well enough to check records against it. */
export function isRecognised(formats: DocumentFormats): boolean {
  const { primary } = formats;
  if (primary.source !== 'inferred') return true;
  // A flow log has at least a few columns whose values say what they are (ids, addresses, times).
  return primary.names.length - primary.ambiguousColumns.length >= Math.min(3, primary.names.length);
}

export function makeFormat(
  names: readonly string[],
  fields: readonly (FieldSpec | undefined)[],
  source: FormatSource,
  extra: { confidence?: number; ambiguousColumns?: number[]; layoutId?: string; line?: number } = {},
): FlowLogFormat {
  const tgw = fields.some((f) => f?.family === 'tgw');
  let maxVersion = 0;
  for (const f of fields) if (f && f.version > maxVersion) maxVersion = f.version;
  return {
    kind: tgw ? 'tgw' : 'vpc',
    names,
    fields,
    source,
    confidence: extra.confidence ?? 1,
    ambiguousColumns: extra.ambiguousColumns ?? [],
    layoutId: extra.layoutId,
    line: extra.line,
    maxVersion,
  };
}

export function formatFromList(list: ParsedFieldList, source: FormatSource, line?: number): FlowLogFormat {
  const knownShare = list.names.length === 0 ? 0 : (list.names.length - list.unknown.length) / list.names.length;
  return makeFormat(list.names, list.fields, source, { confidence: knownShare, layoutId: list.layoutId, line });
}

export const DEFAULT_FORMAT: FlowLogFormat = makeFormat(DEFAULT_V2, DEFAULT_V2.map((n) => lookupField(n)), 'default', {
  confidence: 0.5,
  layoutId: 'default',
});

/** Human label such as `VPC v5 · 29 fields · header`. */
export function describeFormat(format: FlowLogFormat): string {
  const family = format.kind === 'tgw' ? 'TGW' : 'VPC';
  const layout = format.layoutId ? layoutById(format.layoutId) : undefined;
  const what = layout?.id === 'default' ? `${family} default v2` : `${family} v${format.maxVersion || '?'}`;
  const source = format.source === 'inferred' ? `inferred ${Math.round(format.confidence * 100)}%` : format.source;
  return `${what} · ${format.names.length} fields · ${source}`;
}

/** Index of the segment that governs `line` (segments are sorted by fromLine). */
export function segmentIndexAt(segments: DocumentFormats['segments'], line: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid].fromLine <= line) low = mid;
    else high = mid - 1;
  }
  return low;
}
