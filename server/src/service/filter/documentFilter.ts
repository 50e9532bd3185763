/**
 * The filter over an open document, for the editor: the matching records with the header line
 * of their segment, which source line each came from, and a first line saying what was filtered.
 * It runs in steps of a bounded number of lines, so the server can answer hovers in between on
 * a 50 MB document. Also: the filter that selects a value under the cursor ("Filter by this
 * value"). Pure: no Node APIs.
 */
import { declarationLineOf, type FormatSegment } from '../formatModel';
import type { FlowLogDocument } from '../document';
import { lineText } from '../lines';
import { parseLine, tokenAt } from '../parse';
import { forEachRecordLine } from '../recordLines';
import { FilterError, Match, RecordFilter } from './index';

export interface DocumentFilterResult {
  /** A `#` summary line, then the kept header lines and records. */
  text: string;
  /** For each line of `text`, the 0-based source line (-1 for the summary). */
  sourceLines: number[];
  matched: number;
  records: number;
  /** Records skipped because their field count differs from their format's. */
  malformed: number;
}

/** Lines per step: a few milliseconds of work. */
export const FILTER_STEP_LINES = 20_000;

export class DocumentFilterRun {
  private readonly out: string[] = [];
  private readonly sourceLines: number[] = [];
  private next = 0;
  private matched = 0;
  private records = 0;
  private malformed = 0;
  private shownSegment: FormatSegment | undefined;
  /** Segments whose format the filter does not fit (their records are skipped). */
  readonly skippedSegments: FilterError[] = [];
  private readonly rejected = new Set<FormatSegment>();

  /** Throws FilterError when the filter does not fit the document's format. */
  constructor(private readonly document: FlowLogDocument, private readonly filter: RecordFilter, private readonly name: string) {
    filter.bind(document.formats.primary);
  }

  /** Filters the next lines; true once the whole document is done. */
  step(lines = FILTER_STEP_LINES): boolean {
    const { document } = this;
    const to = Math.min(document.lines.lineCount, this.next + lines);
    forEachRecordLine(document.lines, document.formats, this.next, to, (text, start, end, segment, line) => {
      this.records++;
      if (this.rejected.has(segment)) return;
      const problem = this.filter.problemWith(segment.format);
      if (problem) {
        this.rejected.add(segment);
        this.skippedSegments.push(problem);
        return;
      }
      const match = this.filter.matchLine(text, start, end, segment.format);
      if (match === Match.Malformed) this.malformed++;
      if (match !== Match.Yes) return;
      this.matched++;
      if (segment !== this.shownSegment) {
        this.shownSegment = segment;
        const declaration = declarationLineOf(segment);
        if (declaration >= 0) this.push(lineText(document.lines, declaration), declaration);
      }
      this.push(text.slice(start, end), line);
    });
    this.next = to;
    return to >= document.lines.lineCount;
  }

  private push(text: string, line: number): void {
    this.out.push(text);
    this.sourceLines.push(line);
  }

  result(): DocumentFilterResult {
    const malformed = this.malformed > 0 ? `; ${this.malformed} malformed skipped` : '';
    const summary = `# flowlog filter: ${oneLine(this.filter.source)} · ${this.matched.toLocaleString('en-US')} of ${this.records.toLocaleString('en-US')} records of ${this.name} match${malformed}`;
    return {
      text: [summary, ...this.out].join('\n') + '\n',
      sourceLines: [-1, ...this.sourceLines],
      matched: this.matched,
      records: this.records,
      malformed: this.malformed,
    };
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A filter value as written in the language: quoted when it is not one plain word. */
export function filterLiteral(value: string): string {
  return /^[^\s(),"=!<>]+$/.test(value) && !value.includes('..') && !/^(and|or|not|in|has)$/i.test(value) ? value : JSON.stringify(value);
}

/**
 * The filter that keeps records with the value under the cursor: `dstport = 22`, and for an
 * address `addr = 10.0.1.5` (either side). Undefined off a record value.
 */
export function valueFilterAt(document: FlowLogDocument, line: number, character: number): string | undefined {
  if (line < 0 || line >= document.lines.lineCount) return undefined;
  const parsed = parseLine(document, line);
  if (parsed.kind !== 'record') return undefined;
  const token = tokenAt(parsed, character);
  if (!token?.field) return undefined;
  const name = token.field.kind === 'address' && (token.field.name === 'srcaddr' || token.field.name === 'dstaddr') && token.text !== '-' ? 'addr' : token.field.name;
  return `${name} = ${token.text === '-' ? '-' : filterLiteral(token.text)}`;
}
