/**
 * `flowlog stats` output of a SummaryReport (service/summary): readable text, and CSV of the
 * top-N tables. Values come from the files: text output escapes what a terminal would act on.
 */
import { humanBytes } from '../catalog/decoders';
import { protocolHasPorts } from '../catalog/ports';
import { protocolInfo } from '../catalog/protocols';
import type { Count, SummaryReport, TopRow, TopTable } from '../service/summary/model';
import { terminalSafeLines } from './terminal';

const number = (n: Count): string => (typeof n === 'string' ? BigInt(n).toLocaleString('en-US') : n.toLocaleString('en-US'));

function tally(counts: Record<string, Count>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'not in the format' : entries.map(([key, count]) => `${key} ${number(count)}`).join(' · ');
}

export function duration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : `${seconds} s`;
}

function utc(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return Number.isNaN(date.getTime()) ? String(epochSeconds) : date.toISOString().replace('.000Z', 'Z');
}

const sum = (counts: { accept: Count; reject: Count; other: Count }): bigint => BigInt(counts.accept) + BigInt(counts.reject) + BigInt(counts.other);

function bytesText(n: Count): string {
  const value = Number(n);
  return value >= 1024 ? `${number(n)} (${humanBytes(value)})` : number(n);
}

/** A row's key as a reader says it: `a → b`, `3389/tcp`, a protocol without ports by its name alone. */
function rowKey(table: TopTable, row: TopRow): string {
  const [first, second] = table.fields;
  if (first === 'dstport' && second === 'protocol' || first === 'srcport' && second === 'protocol') {
    const protocol = Number(row.values[1]);
    const keyword = Number.isInteger(protocol) ? protocolInfo(protocol)?.keyword : undefined;
    if (keyword && !protocolHasPorts(protocol)) return keyword;
    return `${row.values[0]}/${keyword ? keyword.toLowerCase() : row.values[1]}`;
  }
  return row.values.join(' → ');
}

/** The labels' words after the value (`443 HTTPS` → `HTTPS`); a port's protocol is in the key already. */
function rowLabel(table: TopTable, row: TopRow): string {
  const words = row.labels.flatMap((label, i) => {
    // `-` needs no words in a table of values.
    if (label === null || row.values[i] === '-' || (table.fields[i] === 'protocol' && table.fields.length === 2 && table.fields[0].endsWith('port'))) return [];
    return [label.startsWith(`${row.values[i]} `) ? label.slice(row.values[i].length + 1) : label];
  });
  return words.join(' · ');
}

function tableText(table: TopTable): string[] {
  const fields = table.title.includes(table.fields[0]) ? [] : [table.fields.join(', ')];
  const scope = [...fields, ...(table.where ? [table.where] : [])];
  const lines = [`${table.title}${scope.length ? ` (${scope.join('; ')})` : ''}`];
  if (table.note) lines.push(`  ${table.note}`);
  if (table.rows.length === 0) {
    if (!table.note) lines.push('  none');
    return lines;
  }
  const cells = table.rows.map((row, i) => {
    const over = row.maxOverestimate !== undefined ? ` (≤ ${number(row.maxOverestimate)} too high)` : '';
    const measure = (name: TopTable['by'], text: string): string => (name === table.by ? `${text}${over}` : text);
    return [
      `${String(i + 1).padStart(3)}.`, rowKey(table, row), rowLabel(table, row),
      measure('records', number(row.records)), measure('bytes', bytesText(row.bytes)), measure('packets', number(row.packets)), number(row.rejected),
    ];
  });
  const header = ['', '', '', 'records', 'bytes', 'packets', 'rejected'];
  const widths = header.map((title, c) => Math.max(title.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]): string => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  lines.push(line(header), ...cells.map(line));
  return lines;
}

function timelineText(report: SummaryReport, full: boolean): string[] {
  const timeline = report.timeline;
  if (!timeline) return ['timeline     none (no start times)'];
  const { buckets, intervalSeconds } = timeline;
  const records = (b: (typeof buckets)[number]): bigint => sum(b.records);
  const busiest = buckets.reduce((best, b) => (records(b) > records(best) ? b : best), buckets[0]);
  const lines = [`timeline     ${buckets.length} intervals of ${duration(intervalSeconds)}; busiest from ${utc(busiest.start)}: ${number(records(busiest).toString())} records, ${number(busiest.records.reject)} rejected`];
  if (!full) return lines;
  lines.push('', `${'interval start'.padEnd(20)}  ${'records'.padStart(10)}  ${'accept'.padStart(10)}  ${'reject'.padStart(10)}  ${'other'.padStart(8)}  ${'bytes'.padStart(16)}`);
  for (const b of buckets) {
    const cols = [number(records(b).toString()), number(b.records.accept), number(b.records.reject), number(b.records.other)];
    lines.push(`${utc(b.start).padEnd(20)}  ${cols[0].padStart(10)}  ${cols[1].padStart(10)}  ${cols[2].padStart(10)}  ${cols[3].padStart(8)}  ${number(sum(b.bytes).toString()).padStart(16)}`);
  }
  return lines;
}

/** The report as text; `fullTimeline` lists every interval (asked for with --interval). */
export function summaryText(report: SummaryReport, fullTimeline: boolean): string {
  const t = report.totals;
  const bytes = sum(t.bytesByAction).toString();
  const lines = [
    `files        ${number(t.files)}`,
    `formats      ${report.formats.length ? report.formats.join('; ') : 'none'}`,
    `records      ${number(t.records)}${Number(t.malformed) ? ` (and ${number(t.malformed)} malformed lines not counted)` : ''}`,
    `log-status   ${tally(t.logStatus)}`,
    `action       ACCEPT ${number(t.recordsByAction.accept)} · REJECT ${number(t.recordsByAction.reject)} · other ${number(t.recordsByAction.other)}`,
    `packets      ${number(t.packets)}`,
    `bytes        ${bytesText(bytes)}; rejected ${bytesText(t.bytesByAction.reject)}`,
    `time span    ${t.firstStart !== null && t.lastEnd !== null ? `${utc(t.firstStart)} → ${utc(t.lastEnd)} (${duration(t.lastEnd - t.firstStart)})` : 'none'}`,
    ...timelineText(report, fullTimeline),
  ];
  for (const table of report.top) lines.push('', ...tableText(table));
  if (report.verdicts) {
    lines.push('', 'Conversations by verdict');
    for (const v of report.verdicts) lines.push(`  ${v.description}: ${number(v.conversations)}`);
  }
  return `${terminalSafeLines(lines)}\n`;
}

/** A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, or is empty. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

export const CSV_COLUMNS = ['table', 'by', 'where', 'rank', 'field_1', 'value_1', 'label_1', 'field_2', 'value_2', 'label_2', 'records', 'bytes', 'packets', 'rejected', 'max_overestimate', 'filter', 'note'];

/**
 * The top-N tables as one CSV: a header line, then one line per row of every table, its first
 * column the table's title (tables one after another, in report order). A table without rows
 * has one line with an empty rank and its note. Totals and the timeline are in --format json.
 */
export function summaryCsv(report: SummaryReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const table of report.top) {
    const head = [table.title, table.by, table.where ?? ''];
    const fields = (row?: TopRow): string[] => [0, 1].flatMap((i) => (table.fields[i] === undefined ? ['', '', ''] : [table.fields[i], row?.values[i] ?? '', row?.labels[i] ?? '']));
    if (table.rows.length === 0) lines.push([...head, '', ...fields(), '', '', '', '', '', '', table.note ?? ''].map(csvCell).join(','));
    table.rows.forEach((row, i) => {
      const counts = [row.records, row.bytes, row.packets, row.rejected, row.maxOverestimate ?? ''].map(String);
      lines.push([...head, String(i + 1), ...fields(row), ...counts, row.filter, table.note ?? ''].map(csvCell).join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}
