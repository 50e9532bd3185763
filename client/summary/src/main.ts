/**
 * Entry of the summary renderer bundle (dist/summary-view.js), one script for both hosts: in the
 * editor's webview (where `acquireVsCodeApi` exists) the report arrives in messages and a chosen
 * mark opens its records; in the HTML report the data is embedded in a JSON script element and
 * a chosen mark shows the `flowlog filter` command that prints its records.
 */
import { Chart, type BarElement } from 'chart.js';
import type { SummaryReport } from '../../../server/src/service/summary/model';
import { paintedPixels } from './charts';
import type { FromView, ToView } from './messages';
import { DATA_ELEMENT_ID } from './page';
import { DEFAULT_STATE, SummaryPage, type Mark, type ViewHost, type ViewState } from './render';

interface VsCodeApi {
  postMessage(message: FromView): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('summary') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;

function shellQuote(text: string): string {
  return /^[\w./:=,@+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function isViewState(value: unknown): value is ViewState {
  return typeof value === 'object' && value !== null && 'measure' in value && Array.isArray((value as ViewState).panels);
}

function rendered(page: SummaryPage): Extract<FromView, { type: 'rendered' }> {
  return {
    type: 'rendered',
    charts: page.canvases().map((canvas) => ({ id: canvas.id, painted: paintedPixels(canvas) })),
    tableRows: root.querySelectorAll('tbody tr').length,
    facts: Array.from(root.querySelectorAll('.facts > div'), (fact) => `${fact.querySelector('dt')?.textContent ?? ''}: ${fact.querySelector('dd')?.textContent ?? ''}`),
  };
}

/** Where a bar is, in client coordinates (`bar:<canvas id>:<index>[:<series>]`), for tests that click it. */
function barPoint(target: string): { x: number; y: number } | undefined {
  const [, id, index, series] = target.split(':');
  const canvas = document.getElementById(id);
  const chart = canvas instanceof HTMLCanvasElement ? Chart.getChart(canvas) : undefined;
  const bar = chart?.getDatasetMeta(Number(series ?? 0)).data[Number(index)] as BarElement | undefined;
  if (!canvas || !bar) return undefined;
  const box = canvas.getBoundingClientRect();
  const { x, y } = bar.getCenterPoint();
  return { x: box.left + (x ?? 0), y: box.top + (y ?? 0) };
}

/** Clicks a mark as a user would: a bar through mouse events at its centre, a row through its button. */
function clickMark(target: string): void {
  const [kind, id, index] = target.split(':');
  if (kind === 'row') {
    root.querySelectorAll<HTMLButtonElement>(`#${CSS.escape(id)} tbody tr button`)[Number(index)]?.click();
    return;
  }
  const canvas = document.getElementById(id);
  const point = barPoint(target);
  if (!canvas || !point) return;
  const init = { bubbles: true, cancelable: true, clientX: point.x, clientY: point.y, view: window };
  for (const type of ['mousemove', 'mousedown', 'mouseup', 'click']) canvas.dispatchEvent(new MouseEvent(type, init));
}

function startEditor(vscode: VsCodeApi): void {
  const saved = vscode.getState();
  // Saved beside the view's own state: VS Code hands both back to the panel serializer after a reload.
  let source = typeof saved === 'object' && saved !== null && typeof (saved as { source?: unknown }).source === 'string' ? (saved as { source: string }).source : undefined;
  let viewState: ViewState = isViewState(saved) ? saved : DEFAULT_STATE;
  const save = (): void => vscode.setState({ ...viewState, source });
  const host: ViewHost = {
    editor: true,
    pick: (mark: Mark) => vscode.postMessage({ type: 'pick', filter: mark.filter, description: mark.description }),
    pickVerdict: (verdict) => vscode.postMessage({ type: 'verdict', verdict }),
    ask: (request) => vscode.postMessage({ type: 'ask', ...request }),
    saveState: (state) => {
      viewState = state;
      save();
    },
  };
  const page = new SummaryPage(root, host, viewState);
  window.addEventListener('message', (event: MessageEvent<ToView>) => {
    const message = event.data;
    if (message.type === 'report') {
      page.show(message.report);
      root.setAttribute('aria-busy', 'false');
      // After layout, so that the charts have their size and have drawn.
      requestAnimationFrame(() => vscode.postMessage(rendered(page)));
    } else if (message.type === 'status') {
      status.textContent = message.text;
      root.setAttribute('aria-busy', String(message.busy));
    } else if (message.type === 'click') {
      clickMark(message.target);
    } else if (message.type === 'source') {
      source = message.uri;
      save();
    }
  });
  // VS Code changes the body's class (vscode-light, vscode-dark, vscode-high-contrast) with the theme.
  new MutationObserver(() => page.retheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  vscode.postMessage({ type: 'ready' });
}

interface EmbeddedReport {
  report: SummaryReport;
  /** The files summarised, as given on the command line. */
  files: string[];
}

function startReport(): void {
  const element = document.getElementById(DATA_ELEMENT_ID);
  let data: EmbeddedReport;
  try {
    data = JSON.parse(element?.textContent ?? '') as EmbeddedReport;
  } catch {
    status.textContent = 'This report has no readable data.';
    return;
  }
  const selection = document.getElementById('selection');
  const host: ViewHost = {
    editor: false,
    pick(mark) {
      if (!selection) return;
      (document.getElementById('selection-what') as HTMLElement).textContent = `${mark.description[0]?.toUpperCase() ?? ''}${mark.description.slice(1)}`;
      (document.getElementById('selection-command') as HTMLElement).textContent = `flowlog filter ${shellQuote(mark.filter)} ${data.files.map(shellQuote).join(' ')}`;
      selection.hidden = false;
    },
    saveState: () => undefined,
  };
  const page = new SummaryPage(root, host, DEFAULT_STATE);
  page.show(data.report);
  root.setAttribute('aria-busy', 'false');
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => page.retheme());
  // For tests and scripts: what was drawn.
  (window as unknown as { flowlogSummary: object }).flowlogSummary = { rendered: () => rendered(page), click: clickMark, barPoint };
}

if (typeof acquireVsCodeApi === 'function') startEditor(acquireVsCodeApi());
else startReport();
