/**
 * Custom messages between the flowlog client and server, shared by both sides (pure types and
 * method names, no runtime dependencies).
 */

export const FORMAT_INFO_REQUEST = 'flowlog/formatInfo';
export const FORMAT_CHANGED_NOTIFICATION = 'flowlog/formatChanged';
export const HEADER_EDIT_REQUEST = 'flowlog/headerEdit';
export const PING_REQUEST = 'flowlog/ping';
export const PROCESS_ID_REQUEST = 'flowlog/processId';

export interface DocumentParams {
  uri: string;
}

/** What the server detected about a document's record format (the status bar shows `label`). */
export interface FormatInfo {
  uri: string;
  /** For example `VPC v5 · 29 fields · header` or `VPC default v2 · 14 fields · inferred 80%`. */
  label: string;
  kind: 'vpc' | 'tgw';
  fields: number;
  source: 'option' | 'header' | 'directive' | 'inferred' | 'default';
  /** 0–1. */
  confidence: number;
  /** 0-based columns inference could not pin down. */
  ambiguousColumns: number[];
  /** Whether the document declares its format in a header line or directive. */
  header: boolean;
  /** False when the text does not look like a flow log at all. */
  recognised: boolean;
  layoutId?: string;
}

export interface HeaderEditResult {
  /** Edit that inserts a header line; absent when the document has one or none can be built. */
  edit?: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
}

/**
 * A document text delivered in pieces rather than as one string. The node transport decodes the
 * text of a large `didOpen` (and of a full-text `didChange`) straight into pieces of about 64 KB,
 * so that the server never holds the message body, the decoded JSON and the text at once. When
 * `textPieces` is present, `text` is '' and the pieces, concatenated, are the text.
 */
export interface PiecewiseText {
  text: string;
  textPieces?: readonly string[];
}

/**
 * Node flags the VS Code client starts the server with (other editors may add them too). V8's
 * young generation grows to 16 MB semi-spaces; at 4 MB, the text pieces of a large `didOpen`
 * are promoted sooner and the server's peak with a 50 MB document falls from about 160 MB to
 * about 130 MB (`npm run bench:lsp`), for a few percent more time in garbage collection.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
