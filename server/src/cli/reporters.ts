/**
 * How `flowlog lint` writes problems: text lines or a JSON array, both streamed as problems are
 * found so that a file with millions of problems never sits in memory. SARIF is in sarif.ts.
 */
import type { Severity } from '../service/rules';
import type { Problem } from '../service/problems';
import type { Output } from './output';
import { terminalSafe } from './terminal';

export interface FileSummary {
  /** Name as shown (`<stdin>` for `-`) and the path as given. */
  name: string;
  path: string;
  /** The format's label (getFormatLabel), when one was found. */
  format: string | undefined;
  lines: number;
  counts: Record<Severity, number>;
  /** Why the file could not be read (completely). */
  failure?: string;
}

export interface LintReporter {
  begin(): void;
  beginFile(name: string, path: string): void;
  problem(problem: Problem): void;
  endFile(summary: FileSummary): void;
  end(): void;
}

/** `file:line:col: severity code message`, 1-based; control characters from names and cells escaped. */
export class TextReporter implements LintReporter {
  private name = '';

  constructor(private readonly out: Output) {}

  begin(): void {}

  beginFile(name: string): void {
    this.name = terminalSafe(name);
  }

  problem(problem: Problem): void {
    this.out.write(`${this.name}:${problem.line + 1}:${problem.start + 1}: ${problem.severity} ${problem.code} ${terminalSafe(oneLine(problem.message))}\n`);
  }

  endFile(): void {}

  end(): void {}
}

/**
 * A JSON array, one object per file: `{file, problems: […], format, lines, errors, warnings,
 * infos, hints[, failure]}`; problem positions are 1-based, end column exclusive.
 */
export class JsonReporter implements LintReporter {
  private files = 0;
  private problems = 0;

  constructor(private readonly out: Output) {}

  begin(): void {
    this.out.write('[');
  }

  beginFile(name: string): void {
    this.out.write(`${this.files++ > 0 ? ',' : ''}\n{"file":${JSON.stringify(name)},"problems":[`);
    this.problems = 0;
  }

  problem(problem: Problem): void {
    const item = {
      line: problem.line + 1,
      column: problem.start + 1,
      endLine: (problem.endLine ?? problem.line) + 1,
      endColumn: problem.end + 1,
      severity: problem.severity,
      code: problem.code,
      message: problem.message,
    };
    this.out.write(`${this.problems++ > 0 ? ',' : ''}\n  ${JSON.stringify(item)}`);
  }

  endFile(summary: FileSummary): void {
    const tail = {
      format: summary.format ?? null,
      lines: summary.lines,
      errors: summary.counts.error,
      warnings: summary.counts.warning,
      infos: summary.counts.info,
      hints: summary.counts.hint,
      ...(summary.failure ? { failure: summary.failure } : {}),
    };
    this.out.write(`${this.problems > 0 ? '\n' : ''}],${JSON.stringify(tail).slice(1)}`);
  }

  end(): void {
    this.out.write(`${this.files > 0 ? '\n' : ''}]\n`);
  }
}

/** Messages are one line in every output format. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
