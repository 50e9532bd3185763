/**
 * Lint rules as data: a stable code, a default severity and what the rule is about. Settings
 * (`flowlog.rules.<code>`, `flowlog lint --rule code=severity`) map codes to severities; `off`
 * turns a rule off. The README's rule table is generated from this list.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type RuleSetting = Severity | 'off';

export interface Rule {
  readonly code: string;
  readonly severity: Severity;
  readonly summary: string;
}

export const RULES = [
  { code: 'field-count', severity: 'error', summary: 'A record has more or fewer fields than its format.' },
  { code: 'two-records', severity: 'error', summary: 'A line holds two (or more) records: its field count is a multiple of the format’s.' },
  { code: 'wrapped-record', severity: 'error', summary: 'A record is split across lines: this line and the next together make one record.' },
  { code: 'unreadable-json', severity: 'error', summary: 'Part of a JSON line (a Firehose `{"message":…}` wrapper or a CloudWatch Logs subscription envelope) cannot be read: malformed or truncated JSON, or a message with escape sequences. Records in it are neither checked nor parsed.' },
  { code: 'irregular-spacing', severity: 'warning', summary: 'Fields are separated by more than one space, a tab, or the line has leading or trailing blanks.' },
  { code: 'invalid-address', severity: 'error', summary: 'An address field holds something that is not an IPv4 or IPv6 address.' },
  { code: 'invalid-port', severity: 'error', summary: 'A port is not an integer from 0 to 65535.' },
  { code: 'invalid-protocol', severity: 'error', summary: 'A protocol is not an integer from 0 to 255.' },
  { code: 'invalid-number', severity: 'error', summary: 'A counter, version or flag field is not a non-negative integer in range.' },
  { code: 'unsafe-integer', severity: 'info', summary: 'An integer is larger than 2^53; JSON consumers may lose precision.' },
  { code: 'invalid-timestamp', severity: 'error', summary: 'A start or end value is not a plausible Unix time in seconds.' },
  { code: 'millisecond-timestamp', severity: 'info', summary: 'A start or end value is in milliseconds rather than seconds; it is read as milliseconds.' },
  { code: 'invalid-account-id', severity: 'warning', summary: 'An account ID is not 12 digits or `unknown`.' },
  { code: 'invalid-resource-id', severity: 'warning', summary: 'A resource ID lacks its prefix (`eni-`, `vpc-`, `subnet-`, `i-`, `tgw-`, …) or has a malformed body.' },
  { code: 'invalid-value', severity: 'error', summary: 'A value is not one of the field’s allowed values (action, log-status, type, flow-direction, traffic-path, …).' },
  { code: 'unknown-value', severity: 'hint', summary: 'A value of a field whose list of values is still growing (interface-type, reject-reason) is not one flowlog knows.' },
  { code: 'invalid-shape', severity: 'warning', summary: 'A region, Availability Zone ID, AWS service name or ARN does not have the expected shape.' },
  { code: 'start-after-end', severity: 'error', summary: 'A record’s start time is after its end time.' },
  { code: 'window-too-long', severity: 'warning', summary: 'A record covers more than the 10-minute maximum aggregation interval.' },
  { code: 'nodata-with-traffic', severity: 'warning', summary: 'A NODATA or SKIPDATA record carries traffic values (addresses, ports, packets, bytes, action).' },
  { code: 'ok-missing-traffic', severity: 'warning', summary: 'An OK record lacks traffic values that every flow has (addresses, protocol, packets, bytes, action).' },
  { code: 'impossible-tcp-flags', severity: 'warning', summary: 'tcp-flags holds a value AWS never writes: it records only FIN (1), SYN (2), RST (4) and SYN-ACK (18), OR-ed over the interval (0–7, 18, 19, 22, 23).' },
  { code: 'tcp-flags-non-tcp', severity: 'warning', summary: 'tcp-flags is set on traffic that is not TCP (protocol ≠ 6).' },
  { code: 'type-mismatch', severity: 'warning', summary: '`type` (IPv4/IPv6) disagrees with the address family of srcaddr or dstaddr.' },
  { code: 'traffic-path-ingress', severity: 'info', summary: 'traffic-path is set on ingress traffic, for which AWS does not report it.' },
  { code: 'reply-rejected', severity: 'info', summary: 'A request was accepted but its reply was rejected: a network ACL drops the reply (security groups let replies out). Found by pairing records (not by validation); in the editor with the request as related information, and by `flowlog lint`.' },
  { code: 'unknown-field', severity: 'error', summary: 'A header line, directive or format names a field that does not exist.' },
  { code: 'duplicate-field', severity: 'error', summary: 'A header line, directive or format names the same field twice.' },
  { code: 'explicit-format-unused', severity: 'info', summary: 'The file opens with a header line or `# fields:` directive, which gives its format; `flowlog.format` (`--fields` in the CLI) applies only to files without one and was not used.' },
  { code: 'multiple-formats', severity: 'warning', summary: 'The file contains records of more than one format: header lines differ, or a headerless file mixes known layouts (each record is read by the layout its field count and values fit).' },
  { code: 'not-flow-log', severity: 'warning', summary: 'The file does not look like a flow log: its format could not be recognised. `flowlog lint` reports it as an error (exit status 1) unless `--rule not-flow-log=…` says otherwise.' },
  { code: 'problem-limit', severity: 'info', summary: 'The file has more problems than `flowlog.maxProblems`; the rest are not listed.' },
  { code: 'ambiguous-format', severity: 'info', summary: 'The format was inferred from the values and some columns are ambiguous; add a header line or set `flowlog.format` (`--fields` in the CLI).' },
] as const satisfies readonly Rule[];

export type RuleCode = (typeof RULES)[number]['code'];

const RULE_BY_CODE = new Map<string, Rule>(RULES.map((rule) => [rule.code, rule]));

const SETTINGS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

export function isRuleSetting(value: unknown): value is RuleSetting {
  return typeof value === 'string' && SETTINGS.includes(value);
}

/** A setting value in a message, whatever it is (objects without toString included), clipped. */
function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = `"${value}"`;
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Severity per rule after user settings; `off` rules are absent. */
export type SeverityTable = ReadonlyMap<RuleCode, Severity>;

export interface SeverityProblems {
  /** Settings that could not be used, with why; the defaults were used instead. */
  invalid: string[];
}

/** Merges user overrides (unknown codes and bad values are reported, not fatal). */
export function severityTable(overrides: Readonly<Record<string, unknown>> = {}, problems?: SeverityProblems): SeverityTable {
  const table = new Map<RuleCode, Severity>();
  for (const rule of RULES) table.set(rule.code, rule.severity);
  for (const [code, value] of Object.entries(overrides)) {
    if (!RULE_BY_CODE.has(code)) {
      problems?.invalid.push(`unknown rule ${describeValue(code)}`);
      continue;
    }
    if (!isRuleSetting(value)) {
      problems?.invalid.push(`rule "${code}": ${describeValue(value)} is not one of ${SETTINGS.join(', ')}`);
      continue;
    }
    if (value === 'off') table.delete(code as RuleCode);
    else table.set(code as RuleCode, value);
  }
  return table;
}
