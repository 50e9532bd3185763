/**
 * All problems of a document, capped: declaration problems first, then records in line order.
 * When the cap is reached one summary problem says how many lines were left unchecked, so a
 * 50 MB file with a broken format yields a readable list rather than a million squiggles.
 */
import { checkDeclarations } from './declarations';
import type { FlowLogDocument } from './document';
import { severityTable, type SeverityTable } from './rules';
import { limitSummary, type Problem } from './problems';
import { Validator } from './validate';

export interface DiagnosticOptions {
  severities?: SeverityTable;
  /** Most problems to report; default 1000. */
  maxProblems?: number;
  fromLine?: number;
  toLine?: number;
}

export const DEFAULT_MAX_PROBLEMS = 1000;

export function collectProblems(document: FlowLogDocument, options: DiagnosticOptions = {}): Problem[] {
  const severities = options.severities ?? severityTable();
  const limit = Math.max(1, options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  const problems: Problem[] = [];
  const input = { lines: document.lines, formats: document.formats, severities, maxLineLength: document.maxLineLength };
  // One problem past the limit tells that there are more; it is replaced by the summary.
  const sink = (problem: Problem): boolean => {
    problems.push(problem);
    return problems.length <= limit;
  };
  if (checkDeclarations(input, sink)) {
    const validator = new Validator(input);
    // One pass: a wrapped record may cross any line, so the range is not cut into blocks.
    validator.validateLines(options.fromLine ?? 0, options.toLine ?? document.lines.lineCount, sink);
  }
  if (problems.length > limit) {
    const stoppedAt = problems[limit].line;
    problems.length = limit;
    const summary = limitSummary(severities, 'editor', limit, stoppedAt, document.lines.lineCount);
    if (summary) problems.push(summary);
  }
  return problems;
}
