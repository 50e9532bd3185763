/**
 * The summary page, drawn the same way in the editor's webview and in the HTML report of
 * `flowlog report`: headline figures, the timeline, top-N panels and conversation verdicts.
 * Each chart has a table with the same figures (read by screen readers; shown on demand for the
 * timeline), and each bar or row is a way in: `host.pick` gets the filter selecting its records.
 */
import type { Chart } from 'chart.js';
import type { SummaryReport, TopTable } from '../../../server/src/service/summary/model';
import { barChart, readPalette, type Palette } from './charts';
import { dataTable, el, labelledSelect } from './dom';
import {
  ACTION_KINDS, ACTION_LABELS, bucketFilter, countValue, formatBytes, formatCount, formatInterval, formatMeasure, hasActions, headlineFacts,
  rankedValue, rowLabel, tableHeading, tableKey, timelineSeries, topChoices, type Measure,
} from './shape';

export interface Mark {
  /** Filter-language expression selecting the mark's records. */
  filter: string;
  /** What was picked, in words (`records of 10.0.0.5 → 10.0.1.9`). */
  description: string;
}

export interface ViewState {
  measure: Measure;
  /** Per top panel: the grouping shown (tableKey) and N. */
  panels: { key: string; top: number }[];
  timelineTable: boolean;
  /** Fields of a grouping asked for in the view, shown by the first panel once it arrives. */
  pendingGrouping?: string;
}

export interface ViewHost {
  /** The editor can compute more (other groupings, larger N); the report shows what it holds. */
  readonly editor: boolean;
  pick(mark: Mark): void;
  pickVerdict?(verdict: string): void;
  /** Ask the language server for N rows, or for another grouping (editor only). */
  ask?(request: { top: number; groupBy?: string[] }): void;
  saveState(state: ViewState): void;
}

export const DEFAULT_STATE: ViewState = { measure: 'records', panels: [], timelineTable: false };
const PANELS = 2;

export class SummaryPage {
  private charts: Chart<'bar'>[] = [];
  private report: SummaryReport | undefined;
  private palette: Palette = readPalette();

  constructor(private readonly root: HTMLElement, private readonly host: ViewHost, private state: ViewState) {}

  /** Draws a report (again), keeping the panels' choices and the focused control. */
  show(report: SummaryReport): void {
    this.report = report;
    this.draw();
  }

  /** Colours changed (VS Code's theme): charts are drawn again with the new palette. */
  retheme(): void {
    this.palette = readPalette();
    if (this.report) this.draw();
  }

  canvases(): HTMLCanvasElement[] {
    return this.charts.map((chart) => chart.canvas);
  }

  private setState(change: Partial<ViewState>): void {
    this.state = { ...this.state, ...change };
    this.host.saveState(this.state);
    this.draw();
  }

  private draw(): void {
    const report = this.report;
    if (!report) return;
    const focused = document.activeElement?.id;
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    const parts = [
      this.facts(report),
      this.timeline(report),
      el('div', { className: 'panels' }, this.panelChoices(report).map((choice, i) => this.topPanel(report, i, choice.table, choice.top))),
      this.host.ask ? this.groupingForm() : undefined,
      report.verdicts ? this.verdicts(report) : undefined,
    ];
    this.root.replaceChildren(...parts.filter((part): part is HTMLElement => part !== undefined));
    if (focused) document.getElementById(focused)?.focus();
  }

  private facts(report: SummaryReport): HTMLElement {
    return el('dl', { className: 'facts' }, headlineFacts(report).map((fact) => el('div', {}, [el('dt', { text: fact.label }), el('dd', { text: fact.value })])));
  }

  private timeline(report: SummaryReport): HTMLElement {
    const section = el('section', { id: 'timeline', className: 'timeline', attrs: { 'aria-labelledby': 'timeline-heading' } });
    const timeline = report.timeline;
    if (!timeline || timeline.buckets.length === 0) {
      section.append(el('h2', { id: 'timeline-heading', text: 'Timeline' }), el('p', { className: 'note', text: 'No timeline: the records have no start and end times.' }));
      return section;
    }
    const measure = this.state.measure;
    const series = timelineSeries(timeline, measure);
    const withActions = hasActions(report.totals);
    const kinds = withActions ? ACTION_KINDS : (['other'] as const);
    const interval = formatInterval(timeline.intervalSeconds);
    const heading = `${measure === 'bytes' ? 'Bytes' : 'Records'} per ${interval} (UTC)`;
    const measureSelect = labelledSelect('timeline-measure', 'Show', [{ value: 'records', text: 'records' }, { value: 'bytes', text: 'bytes' }], measure, (value) => this.setState({ measure: value as Measure }));
    const toggle = el('button', { id: 'timeline-table-toggle', text: this.state.timelineTable ? 'Hide table' : 'Show table', attrs: { type: 'button', 'aria-expanded': String(this.state.timelineTable), 'aria-controls': 'timeline-table' } });
    toggle.addEventListener('click', () => this.setState({ timelineTable: !this.state.timelineTable }));
    const colors = { accept: this.palette.accept, reject: this.palette.reject, other: withActions ? this.palette.other : this.palette.bar };
    const seriesLabel = (kind: (typeof kinds)[number]) => (withActions ? ACTION_LABELS[kind] : measure === 'bytes' ? 'Bytes' : 'Records');
    const pick = (index: number, kind: (typeof kinds)[number] | undefined) => {
      const bucket = timeline.buckets[index];
      if (!bucket) return;
      const what = kind && withActions ? `${ACTION_LABELS[kind]} records` : 'records';
      this.host.pick({ filter: bucketFilter(bucket.start, timeline.intervalSeconds, withActions ? kind : undefined, withActions), description: `${what} starting ${series.starts[index]} (${interval})` });
    };
    const canvas = el('canvas', { id: 'timeline-chart', attrs: { role: 'img', 'aria-label': `${heading}: chart; the table below has the same figures` } });
    const table = dataTable(
      heading,
      ['Interval start (UTC)', ...kinds.map(seriesLabel)],
      series.starts.map((start, i) => [start, ...kinds.map((kind) => series.texts[kind][i])]),
      (index) => ({ title: `Open the records of this interval`, run: () => pick(index, undefined) }),
    );
    // Hidden from sight, not from screen readers (a table ignores a small height: hide its wrapper).
    const tableWrap = el('div', { id: 'timeline-table', className: 'table-wrap' }, [table]);
    tableWrap.classList.toggle('visually-hidden', !this.state.timelineTable);
    section.append(
      el('div', { className: 'heading' }, [el('h2', { id: 'timeline-heading', text: heading }), el('div', { className: 'controls' }, [measureSelect, toggle])]),
      el('div', { className: 'chart tall' }, [canvas]),
      tableWrap,
    );
    this.charts.push(barChart(canvas, {
      labels: series.labels,
      series: kinds.map((kind) => ({ label: seriesLabel(kind), values: series.values[kind], color: colors[kind] })),
      horizontal: false,
      stacked: true,
      format: (value) => (measure === 'bytes' ? formatBytes(value) : formatCount(Math.round(value))),
      whole: measure !== 'bytes',
      title: (index) => `${series.starts[index]} (${interval})`,
      pick: (index, datasetIndex) => pick(index, kinds[datasetIndex]),
    }, this.palette));
    return section;
  }

  /** Which table and N each panel shows: remembered choices when their table still exists, else the next unshown table. */
  private panelChoices(report: SummaryReport): { table: TopTable | undefined; top: number }[] {
    const tables = report.top;
    const panels = this.state.panels.slice(0, PANELS);
    const pending = this.state.pendingGrouping;
    if (pending) {
      const asked = tables.find((table) => table.fields.join(',') === pending && table.where === null);
      if (asked) {
        panels[0] = { key: tableKey(asked), top: panels[0]?.top ?? 10 };
        this.state = { ...this.state, pendingGrouping: undefined, panels };
        this.host.saveState(this.state);
      }
    }
    const used = new Set<string>();
    const choices: { table: TopTable | undefined; top: number }[] = [];
    for (let i = 0; i < Math.max(1, Math.min(PANELS, tables.length)); i++) {
      let table = tables.find((t) => tableKey(t) === panels[i]?.key);
      if (!table || used.has(tableKey(table))) table = tables.find((t) => !used.has(tableKey(t)));
      if (table) used.add(tableKey(table));
      choices.push({ table, top: panels[i]?.top ?? 10 });
    }
    return choices;
  }

  private topPanel(report: SummaryReport, index: number, table: TopTable | undefined, top: number): HTMLElement {
    const id = `top${index}`;
    const section = el('section', { id, className: 'top', attrs: { 'aria-labelledby': `${id}-heading` } });
    if (!table) {
      section.append(el('h2', { id: `${id}-heading`, text: 'Top' }), el('p', { className: 'note', text: 'No groupings for this format.' }));
      return section;
    }
    const choose = (change: { key?: string; top?: number }) => {
      const panels = this.panelChoices(report).map((choice) => ({ key: choice.table ? tableKey(choice.table) : '', top: choice.top }));
      panels[index] = { key: change.key ?? tableKey(table), top: change.top ?? top };
      if (change.top && change.top > table.rows.length && this.host.ask) this.host.ask({ top: change.top });
      this.setState({ panels });
    };
    const grouping = labelledSelect(`${id}-grouping`, 'Group by', report.top.map((t) => ({ value: tableKey(t), text: tableHeading(t) })), tableKey(table), (key) => choose({ key }));
    const choices = topChoices(table.rows.length, this.host.editor);
    const shownTop = choices.includes(top) ? top : (choices.filter((n) => n <= top).pop() ?? choices[0]);
    const topSelect = labelledSelect(`${id}-n`, 'Top', choices.map((n) => ({ value: String(n), text: String(n) })), String(shownTop), (value) => choose({ top: Number(value) }));
    const rows = table.rows.slice(0, shownTop);
    const heading = tableHeading(table);
    section.append(el('div', { className: 'heading' }, [el('h2', { id: `${id}-heading`, text: heading }), el('div', { className: 'controls' }, [grouping, topSelect])]));
    if (table.note) section.append(el('p', { className: 'note', text: table.note }));
    if (rows.length === 0) {
      if (!table.note) section.append(el('p', { className: 'note', text: 'No records in this grouping.' }));
      return section;
    }
    const labels = rows.map(rowLabel);
    const pick = (row: number) => {
      const chosen = rows[row];
      if (chosen) this.host.pick({ filter: chosen.filter, description: `records of ${labels[row]}` });
    };
    const canvas = el('canvas', { id: `${id}-chart`, attrs: { role: 'img', 'aria-label': `${heading}: chart; the table below has the same figures` } });
    const estimated = !table.exact;
    const caption = `${heading}${table.distinct !== null ? `: ${rows.length} of ${formatCount(table.distinct)} distinct` : ''}${table.where ? ` (only ${table.where})` : ''}`;
    const headings = [table.fields.join(' → '), 'Records', 'Bytes', 'Packets', 'Rejected', ...(estimated ? ['May be too high by'] : [])];
    const cells = rows.map((row, i) => [labels[i], formatCount(row.records), formatBytes(row.bytes), formatCount(row.packets), formatCount(row.rejected), ...(estimated ? [formatMeasure(table.by, row.maxOverestimate ?? 0)] : [])]);
    section.append(
      barBox(canvas, rows.length),
      el('div', { className: 'table-wrap' }, [dataTable(caption, headings, cells, (row) => ({ title: `Open the records: ${rows[row]?.filter ?? ''}`, run: () => pick(row) }))]),
    );
    this.charts.push(barChart(canvas, {
      labels,
      series: [{ label: table.by, values: rows.map((row) => rankedValue(table, row)), color: table.where ? this.palette.reject : this.palette.bar }],
      horizontal: true,
      stacked: false,
      format: (value) => formatMeasure(table.by, Math.round(value)),
      whole: table.by !== 'bytes',
      title: (row) => labels[row] ?? '',
      pick: (row) => pick(row),
    }, this.palette));
    return section;
  }

  private groupingForm(): HTMLElement {
    const input = el('input', { id: 'grouping-fields', attrs: { type: 'text', placeholder: 'e.g. srcaddr,dstport', spellcheck: 'false', 'aria-describedby': 'grouping-help' } });
    const form = el('form', { className: 'grouping' }, [
      el('label', { className: 'control' }, [el('span', { text: 'Another grouping' }), input]),
      el('button', { text: 'Show', attrs: { type: 'submit' } }),
      el('span', { id: 'grouping-help', className: 'note', text: 'one or two field names, comma-separated; shown in the first panel' }),
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const fields = input.value.split(/[\s,]+/).filter(Boolean);
      if (fields.length === 0 || fields.length > 2 || !this.host.ask) return;
      this.state = { ...this.state, pendingGrouping: fields.join(',') };
      this.host.saveState(this.state);
      this.host.ask({ top: Math.max(10, ...this.state.panels.map((p) => p.top)), groupBy: fields });
    });
    return form;
  }

  private verdicts(report: SummaryReport): HTMLElement {
    const verdicts = (report.verdicts ?? []).filter((v) => v.conversations > 0);
    const section = el('section', { id: 'verdicts', className: 'verdicts', attrs: { 'aria-labelledby': 'verdicts-heading' } }, [el('h2', { id: 'verdicts-heading', text: 'Conversations by verdict' })]);
    if (verdicts.length === 0) {
      section.append(el('p', { className: 'note', text: 'No conversations.' }));
      return section;
    }
    const pick = (index: number) => {
      const verdict = verdicts[index];
      if (verdict && this.host.pickVerdict) this.host.pickVerdict(verdict.verdict);
    };
    const canvas = el('canvas', { id: 'verdicts-chart', attrs: { role: 'img', 'aria-label': 'Conversations by verdict: chart; the table below has the same figures' } });
    section.append(
      barBox(canvas, verdicts.length),
      el('div', { className: 'table-wrap' }, [dataTable('Conversations by verdict', ['Verdict', 'What it means', 'Conversations'], verdicts.map((v) => [v.verdict, v.description, formatCount(v.conversations)]), this.host.pickVerdict ? (i) => ({ title: 'Explain these conversations, with links to their lines', run: () => pick(i) }) : undefined, 2)]),
    );
    this.charts.push(barChart(canvas, {
      labels: verdicts.map((v) => v.verdict),
      series: [{ label: 'conversations', values: verdicts.map((v) => countValue(v.conversations)), color: this.palette.bar }],
      horizontal: true,
      stacked: false,
      format: (value) => formatCount(Math.round(value)),
      whole: true,
      title: (i) => `${verdicts[i]?.verdict ?? ''}: ${verdicts[i]?.description ?? ''}`,
      pick,
    }, this.palette));
    return section;
  }
}

/** The box of a horizontal bar chart, as tall as its bars need (set through the CSSOM, which a strict CSP allows). */
function barBox(canvas: HTMLCanvasElement, bars: number): HTMLElement {
  const box = el('div', { className: 'chart' }, [canvas]);
  box.style.height = `${48 + Math.min(bars, 100) * 22}px`;
  return box;
}
