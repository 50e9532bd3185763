/**
 * Pure data shaping for the summary view and the HTML report: a SummaryReport (see
 * server/src/service/summary/model.ts) turned into chart series, table cells and filter
 * expressions. No DOM here, so it is unit-tested in Node (test/unit/summaryShape.test.ts).
 */
import type { ActionCounts, Count, SummaryReport, SummaryTotals, Timeline, TopRow, TopTable } from '../../../server/src/service/summary/model';

export type Measure = 'records' | 'bytes';
export type ActionKind = keyof ActionCounts;
export const ACTION_KINDS: readonly ActionKind[] = ['accept', 'reject', 'other'];
/** Legend and table headings of the stacked series. */
export const ACTION_LABELS: Record<ActionKind, string> = { accept: 'ACCEPT', reject: 'REJECT', other: 'NODATA / SKIPDATA / none' };
/** The N a top panel offers. */
export const TOP_CHOICES: readonly number[] = [5, 10, 25, 50, 100];

/** A count as a number for charts (a count past 2^53 loses its last digits on a chart, not in tables). */
export function countValue(count: Count): number {
  const value = typeof count === 'number' ? count : Number(count);
  return Number.isFinite(value) ? value : 0;
}

/** Exact digits with thousands separators (`12,345,678`), also for counts written as strings. */
export function formatCount(count: Count): string {
  const digits = typeof count === 'number' ? String(Math.trunc(count)) : /^\d+$/.test(count) ? count : '0';
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** `1.5 GB` (powers of 1024, as `flowlog stats` prints them). */
export function formatBytes(count: Count): string {
  let value = countValue(count);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

export function formatMeasure(measure: Measure | TopTable['by'], count: Count): string {
  return measure === 'bytes' ? formatBytes(count) : formatCount(count);
}

/** `5 min`, `1 h`, `30 s`, `1 d`. */
export function formatInterval(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** ISO 8601 UTC without milliseconds: `2026-01-01T10:05:00Z` (what the filter language reads). */
export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A bucket's axis label, as short as the interval allows: `10:05`, `10:05:30`, `01-02 10:00`, `2026-01-02`. */
export function bucketLabel(start: number, intervalSeconds: number, spansDays: boolean): string {
  const iso = isoTime(start);
  if (intervalSeconds >= 86400) return iso.slice(0, 10);
  const time = intervalSeconds % 60 === 0 ? iso.slice(11, 16) : iso.slice(11, 19);
  return spansDays ? `${iso.slice(5, 10)} ${time}` : time;
}

export interface TimelineSeries {
  labels: string[];
  /** Full UTC start of each bucket, for tooltips and tables. */
  starts: string[];
  values: Record<ActionKind, number[]>;
  /** Per bucket and series, the exact count as text (tables show these). */
  texts: Record<ActionKind, string[]>;
}

export function timelineSeries(timeline: Timeline, measure: Measure): TimelineSeries {
  const { buckets, intervalSeconds } = timeline;
  const first = buckets[0]?.start ?? 0;
  const last = buckets[buckets.length - 1]?.start ?? 0;
  const spansDays = Math.floor(first / 86400) !== Math.floor(last / 86400);
  const series: TimelineSeries = { labels: [], starts: [], values: { accept: [], reject: [], other: [] }, texts: { accept: [], reject: [], other: [] } };
  for (const bucket of buckets) {
    series.labels.push(bucketLabel(bucket.start, intervalSeconds, spansDays));
    series.starts.push(isoTime(bucket.start));
    for (const kind of ACTION_KINDS) {
      const count = bucket[measure][kind];
      series.values[kind].push(countValue(count));
      series.texts[kind].push(formatMeasure(measure, count));
    }
  }
  return series;
}

/**
 * Whether records carry an ACCEPT or REJECT at all: Transit Gateway formats have no `action`, so
 * every record is "other" and a filter must not name the field.
 */
export function hasActions(totals: SummaryTotals): boolean {
  return countValue(totals.recordsByAction.accept) + countValue(totals.recordsByAction.reject) > 0;
}

/** The filter selecting one action kind (or '' for all records of a format without `action`). */
export function actionFilter(kind: ActionKind, withActions: boolean): string {
  if (!withActions) return '';
  return kind === 'other' ? 'action not in (accept, reject)' : `action = ${kind}`;
}

/** The filter selecting a timeline bucket's records, optionally of one action kind (buckets are by `start`). */
export function bucketFilter(start: number, intervalSeconds: number, kind: ActionKind | undefined, withActions: boolean): string {
  const time = `start >= ${isoTime(start)} and start < ${isoTime(start + intervalSeconds)}`;
  const action = kind ? actionFilter(kind, withActions) : '';
  return action ? `${time} and ${action}` : time;
}

/** `10.0.0.5 → 10.0.1.9`, with readable labels where they add something: `443 (HTTPS)`. */
export function rowLabel(row: TopRow): string {
  return row.values
    .map((value, i) => {
      const label = row.labels[i];
      if (!label || label === value) return value;
      const name = label.startsWith(`${value} `) ? label.slice(value.length + 1) : label;
      return name.startsWith('(') ? `${value} ${name}` : `${value} (${name})`;
    })
    .join(' → ');
}

/** The value a table is ranked by, for its bars. */
export function rankedValue(table: TopTable, row: TopRow): number {
  return countValue(row[table.by]);
}

/** A table's heading: its title, what ranks it unless the title says, and `(estimated)` when the rows are estimates. */
export function tableHeading(table: TopTable): string {
  const title = / by (bytes|records|packets)\b/.test(table.title) ? table.title : `${table.title}, by ${table.by}`;
  return table.exact ? title : `${title} (estimated)`;
}

/** The N choices a panel offers for a table: those up to the rows computed, plus larger ones when more can be asked for. */
export function topChoices(available: number, canAskForMore: boolean): number[] {
  const choices = TOP_CHOICES.filter((n) => canAskForMore || n <= available);
  if (!canAskForMore && available > 0 && !choices.includes(available) && available < (TOP_CHOICES[TOP_CHOICES.length - 1] ?? 0)) choices.push(available);
  return choices.length > 0 ? choices.sort((a, b) => a - b) : [Math.max(available, 1)];
}

/** A stable key for a grouping (`srcaddr,dstaddr|action = REJECT`), to remember a panel's choice across updates. */
export function tableKey(table: TopTable): string {
  return `${table.fields.join(',')}|${table.where ?? ''}|${table.by}`;
}

export interface SummaryFacts {
  label: string;
  value: string;
}

/** The headline figures above the charts. */
export function headlineFacts(report: SummaryReport): SummaryFacts[] {
  const { totals } = report;
  const records = countValue(totals.records);
  const rejected = countValue(totals.recordsByAction.reject);
  const bytes = ACTION_KINDS.reduce((sum, kind) => sum + countValue(totals.bytesByAction[kind]), 0);
  const facts: SummaryFacts[] = [
    { label: 'Records', value: formatCount(totals.records) },
    { label: 'Bytes', value: formatBytes(bytes) },
    { label: 'Packets', value: formatCount(totals.packets) },
  ];
  if (hasActions(totals)) facts.push({ label: 'Rejected', value: `${formatCount(totals.recordsByAction.reject)} (${records > 0 ? ((rejected / records) * 100).toFixed(1) : '0.0'} %)` });
  if (totals.firstStart !== null && totals.lastEnd !== null) facts.push({ label: 'Time span', value: `${isoTime(totals.firstStart)} → ${isoTime(totals.lastEnd)} (${formatDuration(totals.lastEnd - totals.firstStart)})` });
  if (countValue(totals.malformed) > 0) facts.push({ label: 'Malformed lines (not counted)', value: formatCount(totals.malformed) });
  if (totals.files > 1) facts.push({ label: 'Files', value: formatCount(totals.files) });
  facts.push({ label: report.formats.length > 1 ? 'Formats' : 'Format', value: report.formats.join(' · ') || 'none' });
  return facts;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, seconds)} s`;
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean).join(' ');
}
