/**
 * The CLI's side of segment cells (service/conversations/cellBuffer.ts): the main thread hands a
 * segment's records to its pairing with a yield to the event loop now and then.
 */
import { CellReader, type SegmentCells } from '../service/conversations/cellBuffer';

export { CellWriter, type SegmentCells, type SpentCells } from '../service/conversations/cellBuffer';

/** Records handed on between two yields to the event loop: the worker pool hands out the next segments meanwhile. */
const RECORDS_PER_YIELD = 4096;

/**
 * Hands each record of a segment's cells to `add`, in line order, as a CellReader placed on it
 * (its absolute line is `reader.line()`); the strings the segment named are let go at the end.
 */
export async function readSegmentCells(cells: SegmentCells, baseLine: number, add: (reader: CellReader) => void): Promise<void> {
  const reader = new CellReader(cells, baseLine);
  for (reader.at = 0; reader.at < reader.count; reader.at++) {
    add(reader);
    if (reader.at % RECORDS_PER_YIELD === RECORDS_PER_YIELD - 1) await new Promise(setImmediate);
  }
  reader.done();
}

