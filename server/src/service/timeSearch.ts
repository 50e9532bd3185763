/**
 * Go to Time: the first record (in line order) whose window [start, end] contains a time, and the
 * time span of a range of lines (the status bar's viewport span).
 *
 * When the records are sorted by start (`DocumentStructure.sortedByStart`, found by the structure's
 * one pass), the search bisects the lines: no record that starts before `time − longest window`
 * can contain the time, so it bisects to the first record starting at or after that and reads on
 * until records start after the time: O(log n) lines plus the records of one window. Otherwise it
 * reads only the parts and time windows whose span contains the time (or, for the next record
 * after a gap, ends after it). Either way the answer is exact.
 */
import { RecordTimesWalker, type RecordSource, type RecordTimes } from './recordTimes';
import type { DocumentStructure, RecordCounts } from './structure';
import { formatUtc, formatUtcSpan } from './timeQuery';

export interface TimeMatch {
  line: number;
  character: number;
  startMs: number;
  endMs: number;
  /** False when no record contains the time and this is the next record after it. */
  contains: boolean;
  method: 'bisection' | 'scan';
}

export type TimeSearchResult = { match: TimeMatch; message?: string } | { match?: undefined; message: string };

interface Found {
  line: number;
  character: number;
  start: number;
  end: number;
}

function snapshot(record: RecordTimes): Found {
  return { line: record.line, character: record.character, start: record.start, end: record.end };
}

/** The first record with a time in lines [from, to), or undefined. */
function firstTimed(walker: RecordTimesWalker, from: number, to: number): Found | undefined {
  let found: Found | undefined;
  walker.walk(from, to, (record) => {
    if (Number.isNaN(record.start)) return true;
    found = snapshot(record);
    return false;
  });
  return found;
}

/** Line of the first record starting at or after `lower`, in a document sorted by start. */
function bisect(walker: RecordTimesWalker, lineCount: number, lower: number): number {
  let low = 0;
  let high = lineCount;
  while (low < high) {
    const mid = low + ((high - low) >> 1);
    const probe = firstTimed(walker, mid, high);
    if (!probe || probe.start >= lower) high = mid;
    else low = probe.line + 1;
  }
  return low;
}

function searchSorted(source: RecordSource, structure: DocumentStructure, time: number): { contains?: Found; next?: Found } {
  const walker = new RecordTimesWalker(source);
  // One line back: a JSON line holds several records, and bisection steps over a line by its first.
  const from = Math.max(0, bisect(walker, source.lines.lineCount, time - structure.maxDurationMs) - 1);
  let contains: Found | undefined;
  let next: Found | undefined;
  walker.walk(from, source.lines.lineCount, (record) => {
    if (Number.isNaN(record.start)) return true;
    if (record.start > time) {
      next = snapshot(record);
      return false;
    }
    if (record.end >= time) {
      contains = snapshot(record);
      return false;
    }
    return true;
  });
  return { contains, next };
}

/** Line ranges [from, to) whose records may contain `time` or start after it, in line order. */
function candidateRanges(structure: DocumentStructure, time: number): [number, number][] {
  const ranges: [number, number][] = [];
  const relevant = (counts: RecordCounts): boolean => counts.lastEnd >= time;
  for (const part of structure.parts) {
    if (!relevant(part)) continue;
    if (part.windows.length === 0) ranges.push([part.firstRecordLine, part.toLine + 1]);
    else for (const window of part.windows) if (relevant(window)) ranges.push([window.fromLine, window.toLine + 1]);
  }
  return ranges;
}

function searchUnsorted(source: RecordSource, structure: DocumentStructure, time: number): { contains?: Found; next?: Found } {
  const walker = new RecordTimesWalker(source);
  let contains: Found | undefined;
  let next: Found | undefined;
  for (const [from, to] of candidateRanges(structure, time)) {
    walker.walk(from, to, (record) => {
      if (Number.isNaN(record.start)) return true;
      if (record.start <= time && record.end >= time) {
        contains = snapshot(record);
        return false;
      }
      if (record.start > time && (!next || record.start < next.start)) next = snapshot(record);
      return true;
    });
    if (contains) break;
  }
  return { contains, next };
}

/** Finds the record to go to for `time` (ms), or says why there is none. */
export function findTime(source: RecordSource, structure: DocumentStructure, time: number): TimeSearchResult {
  if (structure.timedRecords === 0) {
    return { message: 'The records have no time: their format has no start or end field, and no CloudWatch Logs time precedes them.' };
  }
  const span = formatUtcSpan(structure.firstStart, structure.lastEnd, true);
  if (time < structure.firstStart) return { message: `${formatUtc(time, true)} is before the first record: the records span ${span}.` };
  if (time > structure.lastEnd) return { message: `${formatUtc(time, true)} is after the last record: the records span ${span}.` };
  const method = structure.sortedByStart ? 'bisection' : 'scan';
  const { contains, next } = structure.sortedByStart ? searchSorted(source, structure, time) : searchUnsorted(source, structure, time);
  const found = contains ?? next;
  if (!found) return { message: `No record contains ${formatUtc(time, true)} or starts after it.` };
  const match: TimeMatch = { line: found.line, character: found.character, startMs: found.start, endMs: found.end, contains: contains !== undefined, method };
  if (contains) return { match };
  return { match, message: `No record's window contains ${formatUtc(time, true)}; this is the next record, which starts at ${formatUtc(found.start, true)}.` };
}

/** Start of the earliest record and end of the latest in lines [from, to), with how many records had a time. */
export function timeSpanOf(source: RecordSource, from: number, to: number): { firstStart: number; lastEnd: number; records: number } {
  const span = { firstStart: NaN, lastEnd: NaN, records: 0 };
  new RecordTimesWalker(source).walk(from, to, (record) => {
    if (Number.isNaN(record.start)) return;
    span.records++;
    if (!(record.start >= span.firstStart)) span.firstStart = record.start;
    if (!(record.end <= span.lastEnd)) span.lastEnd = record.end;
  });
  return span;
}
