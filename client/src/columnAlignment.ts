/**
 * Aligned columns (issue 13): the values of each column lined up under the header by blank space
 * drawn between them, never by changing the text. The server lays out the visible lines
 * (`flowlog/columnLayout`); this draws its pads and decoded labels as decorations.
 *
 * Why decorations rather than inlay hints of padding: VS Code draws inlay hints in their own
 * boxes, with a background, a margin of a third of the font size around padded ones, and a
 * per-line length limit after which it cuts them, so blank hints cannot add up to whole character
 * columns. Decorations are drawn in the editor's font, so N blanks are exactly N columns. In
 * aligned mode the decoded values are drawn by the same decorations inside each column (the
 * server reserves their room), and their inlay hints are left out so they are not shown twice;
 * field-name hints (`srcport:`) stay, as each column's is the same on every line.
 *
 * The inlay hint middleware here also keeps a line's hints within
 * `editor.inlayHints.maximumLength`: the server sends each record's hints most useful first, and
 * whole hints are dropped from the end rather than VS Code cutting the last ones in position
 * order (which were the times and flags).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient, Middleware } from 'vscode-languageclient';
import { InlayHintRequest } from 'vscode-languageclient';
import { ColumnLayoutRequest, type ColumnLayoutLine } from '../../server/src/lsp/protocol';
import { withinLength } from './hintBudget';

/** Lines laid out above and below the visible ones, so that a small scroll shows aligned lines at once. */
const MARGIN_LINES = 30;
/** Waits after a scroll or an edit before asking the server again. */
const SCROLL_DELAY_MS = 40;
const EDIT_DELAY_MS = 150;
const NBSP = '\u00a0';

export interface AlignmentApi {
  /** Whether a document is shown aligned. */
  isAligned(uri: vscode.Uri): boolean;
  /** Lines of a document drawn aligned in the last layout (0 when not aligned). */
  alignedLines(uri: vscode.Uri): number;
  /** Fires after a layout was drawn (or removed) in an editor. */
  onDidRender: vscode.Event<vscode.Uri>;
}

function isFlowLog(editor: vscode.TextEditor): boolean {
  return editor.document.languageId === 'flowlog';
}

/** The lines to lay out: the visible ranges with a margin, as one range. */
function wantedRange(editor: vscode.TextEditor): vscode.Range | undefined {
  const visible = editor.visibleRanges;
  if (visible.length === 0) return undefined;
  const first = Math.max(0, Math.min(...visible.map((r) => r.start.line)) - MARGIN_LINES);
  const last = Math.min(editor.document.lineCount - 1, Math.max(...visible.map((r) => r.end.line)) + MARGIN_LINES);
  return new vscode.Range(first, 0, last, 0);
}

export class ColumnAlignment implements vscode.Disposable {
  /** Documents switched by the toggle, to the state the toggle gave them; others follow the setting. */
  private readonly toggled = new Map<string, boolean>();
  private readonly drawn = new Map<string, number>();
  private readonly timers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly rendered = new vscode.EventEmitter<vscode.Uri>();
  private readonly padType = vscode.window.createTextEditorDecorationType({});
  private readonly labelType = vscode.window.createTextEditorDecorationType({});
  readonly onDidRender = this.rendered.event;

  constructor(private readonly client: () => BaseLanguageClient | undefined) {
    this.subscriptions.push(
      this.padType,
      this.labelType,
      this.rendered,
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor }) => this.schedule(textEditor, SCROLL_DELAY_MS)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((editor) => this.schedule(editor, 0))),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.schedule(editor, EDIT_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.toggled.delete(document.uri.toString());
        this.drawn.delete(document.uri.toString());
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('flowlog.columns.align') || event.affectsConfiguration('flowlog.inlayHints.decodedValues')) this.refreshAll();
      }),
    );
  }

  isAligned(document: vscode.TextDocument): boolean {
    const toggled = this.toggled.get(document.uri.toString());
    if (toggled !== undefined) return toggled;
    return vscode.workspace.getConfiguration('flowlog', document).get<boolean>('columns.align', false);
  }

  alignedLines(uri: vscode.Uri): number {
    return this.drawn.get(uri.toString()) ?? 0;
  }

  /** Switches a document between aligned and as written; returns the new state. */
  toggle(document: vscode.TextDocument): boolean {
    const aligned = !this.isAligned(document);
    this.toggled.set(document.uri.toString(), aligned);
    this.refreshDocument(document);
    return aligned;
  }

  /** Lays out every visible flow log again (the server restarted, a setting or a format changed). */
  refreshAll(): void {
    const documents = new Set(vscode.window.visibleTextEditors.filter(isFlowLog).map((editor) => editor.document));
    for (const document of documents) this.refreshDocument(document);
  }

  private refreshDocument(document: vscode.TextDocument): void {
    this.refreshInlayHints(document);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.schedule(editor, 0);
  }

  /** Asks VS Code for the document's inlay hints again: aligned mode leaves the decoded ones out. */
  private refreshInlayHints(document: vscode.TextDocument): void {
    const client = this.client();
    if (!client) return;
    try {
      client.getFeature(InlayHintRequest.method).getProvider(document)?.onDidChangeInlayHints.fire();
    } catch {
      // A client without the feature (server not started yet) asks for hints when it starts.
    }
  }

  private schedule(editor: vscode.TextEditor, delay: number): void {
    if (!isFlowLog(editor)) return;
    const pending = this.timers.get(editor);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.set(
      editor,
      setTimeout(() => {
        this.timers.delete(editor);
        void this.update(editor);
      }, delay),
    );
  }

  private clear(editor: vscode.TextEditor): void {
    const uri = editor.document.uri;
    editor.setDecorations(this.padType, []);
    editor.setDecorations(this.labelType, []);
    if (this.drawn.delete(uri.toString())) this.rendered.fire(uri);
  }

  private async update(editor: vscode.TextEditor): Promise<void> {
    // An editor closed while its update waited: nothing to draw in.
    if (!vscode.window.visibleTextEditors.includes(editor)) return;
    const { document } = editor;
    const client = this.client();
    const range = wantedRange(editor);
    if (!this.isAligned(document) || !client || !range) {
      this.clear(editor);
      return;
    }
    const version = document.version;
    const decodedValues = vscode.workspace.getConfiguration('flowlog', document).get<boolean>('inlayHints.decodedValues', true);
    let lines: ColumnLayoutLine[];
    try {
      const result = await client.sendRequest(ColumnLayoutRequest, { uri: document.uri.toString(), range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line, character: 0 } }, decodedValues });
      lines = result?.lines ?? [];
    } catch {
      return;
    }
    // An edit or a toggle since the request: a newer update follows with its own layout.
    if (document.version !== version || !this.isAligned(document) || !vscode.window.visibleTextEditors.includes(editor)) return;
    this.draw(editor, lines);
  }

  private draw(editor: vscode.TextEditor, lines: ColumnLayoutLine[]): void {
    const pads: vscode.DecorationOptions[] = [];
    const labels: vscode.DecorationOptions[] = [];
    const labelColor = new vscode.ThemeColor('editorInlayHint.typeForeground');
    for (const { line, pads: linePads, labels: lineLabels } of lines) {
      for (const { character, width } of linePads) {
        const at = new vscode.Position(line, character);
        pads.push({ range: new vscode.Range(at, at), renderOptions: { before: { contentText: NBSP.repeat(width) } } });
      }
      for (const { character, label } of lineLabels) {
        const at = new vscode.Position(line, character);
        labels.push({ range: new vscode.Range(at, at), renderOptions: { after: { contentText: NBSP + label, color: labelColor } } });
      }
    }
    editor.setDecorations(this.padType, pads);
    editor.setDecorations(this.labelType, labels);
    this.drawn.set(editor.document.uri.toString(), lines.length);
    this.rendered.fire(editor.document.uri);
  }

  /**
   * Inlay hint middleware: leaves out the decoded hints of aligned documents (the columns draw
   * them) and keeps each line's hints within `editor.inlayHints.maximumLength`.
   */
  middleware(): Middleware {
    return {
      provideInlayHints: async (document, range, token, next) => {
        const hints = await next(document, range, token);
        if (!hints) return hints;
        const aligned = this.isAligned(document);
        const kept = aligned ? hints.filter((hint) => hint.kind !== vscode.InlayHintKind.Type) : hints;
        const limit = vscode.workspace.getConfiguration('editor', { uri: document.uri, languageId: document.languageId }).get<number>('inlayHints.maximumLength', 43);
        return withinLength(kept, limit);
      },
    };
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
