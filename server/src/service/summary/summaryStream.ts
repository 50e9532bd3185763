/**
 * A summary of text arriving in chunks (a file of any size, a document's text): the stream finds
 * the format and the record lines as `flowlog parse` does (headers mid-file, export shapes, JSON
 * lines with several records), and the aggregator reads each record's columns in place. Pure.
 */
import type { FlowLogFormat } from '../formatModel';
import { FlowLogStream, type StreamStats } from '../stream';
import { SummaryAggregator } from './aggregator';
import type { SummaryOptions, SummaryReport } from './model';

export interface SummaryStreamHandlers {
  /** The format of the start of the input, once known. */
  format?(format: FlowLogFormat): void;
  /** A line too long to be a record (0-based): it is skipped. */
  overlong?(line: number): void;
}

/** One input (a file) into an aggregator, which may hold others already. */
export class SummaryStream {
  private readonly stream: FlowLogStream;
  /** Set by the caller (from the `format` handler) to leave this input out: not a flow log. */
  skip = false;

  constructor(readonly aggregator: SummaryAggregator, handlers: SummaryStreamHandlers = {}, explicitFormat?: string) {
    aggregator.startFile();
    this.stream = new FlowLogStream(
      {
        format: (format) => handlers.format?.(format),
        overlong: (line) => handlers.overlong?.(line),
        recordText: (text, start, end, format, line) => this.skip || aggregator.addRecord(text, start, end, format, line),
      },
      { explicitFormat, validate: false, parse: true },
    );
  }

  push(chunk: string): void {
    this.stream.push(chunk);
  }

  /** Reads what is left; the file counts in the summary unless it was skipped. */
  end(): StreamStats {
    const stats = this.stream.end();
    if (!this.skip) this.aggregator.countFile();
    return stats;
  }
}

/** The summary of one text (a test's input, a document): options as SummaryOptions. */
export function summarizeText(text: string, options: SummaryOptions = {}, explicitFormat?: string): SummaryReport {
  const aggregator = new SummaryAggregator(options);
  const stream = new SummaryStream(aggregator, {}, explicitFormat);
  stream.push(text);
  stream.end();
  return aggregator.report();
}
