/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rules from the RULES table, one result per
 * problem with a relative artifact URI and a 1-based region (columns in UTF-16 code units, the
 * SARIF default). Results are streamed; files that could not be read become tool notifications.
 */
import { relative, resolve, sep } from 'node:path';
import { RULES, type Severity } from '../service/rules';
import type { Problem } from '../service/problems';
import type { Output } from './output';
import type { FileSummary, LintReporter } from './reporters';
import { oneLine } from './reporters';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const RULE_INDEX = new Map<string, number>(RULES.map((rule, index) => [rule.code, index]));

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A path as a relative URI reference: forward slashes, each segment percent-encoded. */
export function artifactUri(path: string, cwd: string): string {
  if (path === '-') return 'stdin';
  const rel = relative(cwd, resolve(cwd, path)) || path;
  return rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

export class SarifReporter implements LintReporter {
  private results = 0;
  private uri = '';
  private readonly failures: { uri: string; message: string }[] = [];

  constructor(private readonly out: Output, private readonly cwd: string, private readonly version: string) {}

  begin(): void {
    const driver = {
      name: 'flowlog',
      version: this.version,
      semanticVersion: this.version,
      rules: RULES.map((rule) => ({
        id: rule.code,
        shortDescription: { text: rule.summary },
        defaultConfiguration: { level: sarifLevel(rule.severity) },
      })),
    };
    const head = JSON.stringify({ $schema: SCHEMA, version: '2.1.0', runs: [{ tool: { driver }, columnKind: 'utf16CodeUnits', results: [] }] });
    // Everything up to the opening of the results array; results and the tail follow.
    this.out.write(head.slice(0, head.lastIndexOf('[]') + 1));
  }

  beginFile(_name: string, path: string): void {
    this.uri = artifactUri(path, this.cwd);
  }

  problem(problem: Problem): void {
    const region: Record<string, number> = {
      startLine: problem.line + 1,
      startColumn: problem.start + 1,
      endColumn: Math.max(problem.end, problem.start) + 1,
    };
    if (problem.endLine !== undefined && problem.endLine !== problem.line) region.endLine = problem.endLine + 1;
    const result = {
      ruleId: problem.code,
      ruleIndex: RULE_INDEX.get(problem.code),
      level: sarifLevel(problem.severity),
      message: { text: oneLine(problem.message) },
      locations: [{ physicalLocation: { artifactLocation: { uri: this.uri, uriBaseId: '%SRCROOT%' }, region } }],
    };
    this.out.write(`${this.results++ > 0 ? ',' : ''}\n${JSON.stringify(result)}`);
  }

  endFile(summary: FileSummary): void {
    if (summary.failure) this.failures.push({ uri: this.uri, message: `${summary.name}: ${summary.failure}` });
  }

  end(): void {
    const invocation = {
      executionSuccessful: this.failures.length === 0,
      toolExecutionNotifications: this.failures.map((failure) => ({
        level: 'error',
        message: { text: failure.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: failure.uri, uriBaseId: '%SRCROOT%' } } }],
      })),
    };
    this.out.write(`${this.results > 0 ? '\n' : ''}],"invocations":[${JSON.stringify(invocation)}]}]}\n`);
  }
}
