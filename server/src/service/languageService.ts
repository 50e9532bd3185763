/**
 * The language service as its callers see it: what the LSP adapter (lsp/, server.ts) and the CLI
 * ask of a document, under one naming scheme: `do…` computes the answer to a request, `get…`
 * reads something the document already determines. The feature modules keep their own names for
 * their tests; adapters import from here, so the service's surface stays this one small list.
 */
export { FlowLogDocument, type TextEdit } from './document';
export { DocumentValidation, type ProblemSnapshot } from './documentValidation';
export { FlowLogStream, type StreamOptions } from './stream';
export type { Problem } from './problems';

/** All problems of a document, capped (declarations first, then records in line order). */
export { collectProblems as doValidation } from './diagnostics';
/** Hover of the value, field name or header under a position. */
export { doHover } from './hover';
/** Completion of field names in header lines and directives, and of enum values in records. */
export { complete as doComplete } from './completion';
/** Quick fixes for the problems in a range. */
export { codeActions as doCodeActions } from './codeActions';
/** The edits of a whole-document code action, built when the user picks it (code action resolve). */
export { wholeDocumentEdits as doWholeDocumentEdits, type WholeDocumentAction } from './codeActions';
/** The edit that inserts a header line for the detected format, if the document lacks one. */
export { headerLineEdit as getHeaderEdit } from './codeActions';
/** Semantic tokens of the whole document or of a range of lines. */
export { semanticTokens as getSemanticTokens, SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from './semanticTokens';
/** Inlay hints (field names, decoded values) of a range. */
export { inlayHints as getInlayHints } from './inlayHints';
/** The status-bar label of a format (`VPC v5 · 29 fields · header`) and whether it was recognised at all. */
export { describeFormat as getFormatLabel, isRecognised } from './formatModel';
/** The document's parts, interfaces and time windows, read in one pass (a slice at a time with `StructureScan`). */
export { buildStructure, StructureScan, type DocumentStructure } from './structure';
/** Folding ranges of the parts and their time windows. */
export { foldingRanges } from './folding';
/** Document symbols (Outline, breadcrumbs, sticky scroll) of the parts, their interfaces or time windows. */
export { documentSymbols } from './symbols';
/** Code lenses over the first record of a file without a header line. */
export { headerLenses as getHeaderLenses } from './headerLens';
/** Go to Time: the record whose window contains a time; the time span of lines. */
export { findTime, timeSpanOf } from './timeSearch';
/** A time as the user typed it (ISO 8601 or epoch), in UTC. */
export { parseUtcTime } from './timeQuery';
/** The aligned layout of a range: pads before values and decoded labels after them (issue 13). */
export { columnLayout as doColumnLayout, type AlignedLine } from './columnLayout';
/** The column under a position, named, with its value and short decoding. */
export { columnAtPosition as doColumnAt, type ColumnAtPosition } from './columnAt';
/** The values of the column at a position over a range of lines. */
export { columnValues as doColumnValues, type ColumnValues } from './columnValues';
