/**
 * A group table's top rows, ranked by the grouping's measure, with readable labels and the filter
 * that selects each row's records. An estimated table (past the memory budget) shows only the
 * rows whose count is sure to exceed what any group it does not hold may have (its `bound`): the
 * rest could be outranked by groups it dropped, so printing them would print guesses. When no row
 * is sure, the table says that no entry stands out. Pure.
 */
import { partFilter, partLabel, readKey, type CellEncoder, type KeyPart } from './cellKeys';
import type { GroupTable } from './groupTable';
import type { Grouping } from './groupings';
import type { TopRow, TopTable } from './model';

/** Compares key bytes, so that ties rank the same whatever order groups were counted in. */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The `n` entries of highest rank (ties by key), highest first; one pass with a small sorted list. */
function topEntries(table: GroupTable, n: number): number[] {
  const chosen: number[] = [];
  const ranks: number[] = [];
  const before = (entry: number, rank: number, other: number, otherRank: number): boolean =>
    rank > otherRank || (rank === otherRank && compareKeys(table.keyOf(entry), table.keyOf(other)) < 0);
  for (let entry = 0; entry < table.entryCount(); entry++) {
    const rank = table.rankOf(entry);
    if (chosen.length === n && !before(entry, rank, chosen[n - 1], ranks[n - 1])) continue;
    let at = chosen.length;
    while (at > 0 && before(entry, rank, chosen[at - 1], ranks[at - 1])) at--;
    chosen.splice(at, 0, entry);
    ranks.splice(at, 0, rank);
    if (chosen.length > n) {
      chosen.pop();
      ranks.pop();
    }
  }
  return chosen;
}

export function topTable(grouping: Grouping, table: GroupTable, encoders: readonly CellEncoder[], top: number, present: boolean): TopTable {
  const fields = [...grouping.fields];
  const where = grouping.rejectedOnly ? 'action = REJECT' : null;
  const base = { fields, by: grouping.by, where, title: grouping.title };
  if (!present) return { ...base, rows: [], distinct: null, exact: true, note: `missing: no format read has ${fields.join(' and ')}${grouping.rejectedOnly ? ' and action' : ''}` };
  const rows: TopRow[] = [];
  for (const entry of topEntries(table, top)) {
    const counted = table.measuresOf(entry);
    // Estimated: only a row whose least possible count beats every dropped group is shown.
    if (!table.exact && table.rankOf(entry) - counted.error <= table.bound) break;
    const parts = readKey(table.keyOf(entry), encoders);
    const tests = parts.map((part, i) => partFilter(encoders[i], part));
    if (where) tests.unshift(where);
    const row: TopRow = {
      values: parts.map((part) => part.value),
      labels: parts.map((part, i) => partLabel(encoders[i], part, protocolOf(parts, encoders))),
      records: counted.records,
      bytes: counted.bytes,
      packets: counted.packets,
      rejected: counted.rejected,
      filter: tests.join(' and '),
    };
    if (!table.exact) {
      row[grouping.by] = table.rankOf(entry);
      row.maxOverestimate = counted.error;
    }
    rows.push(row);
  }
  return { ...base, rows, distinct: table.exact ? table.entryCount() : null, exact: table.exact, note: estimateNote(table, rows.length, top, grouping.by) };
}

/** The protocol number of a grouping that has `protocol`, for naming its ports. */
function protocolOf(parts: readonly KeyPart[], encoders: readonly CellEncoder[]): number | undefined {
  const at = encoders.findIndex((encoder) => encoder.spec.name === 'protocol');
  return at >= 0 && parts[at].kind === 'integer' ? Number(parts[at].value) : undefined;
}

function estimateNote(table: GroupTable, shown: number, top: number, by: Grouping['by']): string | null {
  if (table.exact) return null;
  const limit = `more than ${table.entryCount().toLocaleString('en-US')} groups, past the memory budget; any group not listed has at most ${table.bound.toLocaleString('en-US')} ${by}`;
  if (shown === 0) return `no entry stands out: ${limit}, and no group is sure to have more`;
  const fewer = shown < top ? `; only ${shown} ${shown === 1 ? 'group is' : 'groups are'} sure to exceed that` : '';
  return `estimated: ${limit}${fewer}. In these rows ${by} may be too high by maxOverestimate; the other counts start when the group was first tracked`;
}
