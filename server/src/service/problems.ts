/**
 * Problems, in one place: what a problem is, how a check hands one on (only when its rule is on,
 * with the user's severity) and the one summary that says the problem limit cut the list short.
 * Validation, declarations, the document check, the editor's incremental validation and the CLI
 * all build their problems here.
 */
import type { RuleCode, Severity, SeverityTable } from './rules';

/** A problem on one line; columns are UTF-16 offsets within the line, as in LSP. */
export interface Problem {
  code: RuleCode;
  severity: Severity;
  message: string;
  line: number;
  start: number;
  end: number;
  /** Line where the problem ends, when it spans lines (a wrapped record). */
  endLine?: number;
  /** What a quick fix needs. */
  fix?: FixHint;
}

export type FixHint =
  | { kind: 'split'; offsets: number[] }
  | { kind: 'join' }
  | { kind: 'normalize-spacing' }
  | { kind: 'replace'; replacement: string }
  | { kind: 'insert-header' }
  | { kind: 'remove-field' };

/** Returns false to stop validation (problem limit reached, request cancelled). */
export type ProblemSink = (problem: Problem) => boolean;

/**
 * The problem of rule `code` with the user's severity, or undefined when the rule is off. The
 * message is a function so that it is only built for a rule that is on.
 */
export function makeProblem(severities: SeverityTable, code: RuleCode, line: number, start: number, end: number, message: () => string, fix?: FixHint): Problem | undefined {
  const severity = severities.get(code);
  return severity ? { code, severity, message: message(), line, start, end, fix } : undefined;
}

/** Hands the problem of rule `code` to `sink` unless the rule is off; false when the sink asks to stop. */
export function emitProblem(sink: ProblemSink, severities: SeverityTable, code: RuleCode, line: number, start: number, end: number, message: () => string, fix?: FixHint): boolean {
  const problem = makeProblem(severities, code, line, start, end, message, fix);
  return problem ? sink(problem) : true;
}

/** Who reads the messages: the editor (settings) or the `flowlog` CLI (options). */
export type MessageHost = 'editor' | 'cli';

/**
 * The `problem-limit` summary after `limit` problems, with the user's severity for the rule; undefined
 * when the rule is off. `stoppedAtLine` is the first line that was not checked.
 */
export function limitSummary(severities: SeverityTable, host: MessageHost, limit: number, stoppedAtLine: number, lineCount: number): Problem | undefined {
  const remaining = Math.max(0, lineCount - stoppedAtLine);
  const line = Math.max(0, stoppedAtLine - 1);
  return makeProblem(severities, 'problem-limit', line, 0, 0, () =>
    host === 'editor'
      ? `Showing the first ${limit} problems; ${remaining} lines after line ${stoppedAtLine} were not checked. Raise flowlog.maxProblems to see more, or run 'flowlog lint' on the file.`
      : `Stopped after ${limit} problems; the ${remaining} lines after line ${stoppedAtLine} were not checked (raise --max-problems).`,
  );
}
