/**
 * One small document per rule that makes the rule fire: the recipe for a new rule (CONTRIBUTING.md)
 * asks for one, and rules.test.ts fails for a rule without an example, or whose example does not
 * fire it (a rule declared in the table but emitted nowhere).
 */
import type { RuleCode } from '../../server/src/service/rules';

export const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
export const V5_HEADER = 'version srcaddr dstaddr srcport dstport protocol tcp-flags type start end flow-direction traffic-path action log-status';

/** A clean default-format record with some of its fields replaced. */
export function v2(changes: Partial<Record<string, string>> = {}): string {
  const values: Record<string, string> = {
    version: '2', 'account-id': '123456789012', 'interface-id': 'eni-0123456789abcdef0', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', srcport: '443',
    dstport: '49152', protocol: '6', packets: '10', bytes: '840', start: '1700000000', end: '1700000060', action: 'ACCEPT', 'log-status': 'OK', ...changes,
  } as Record<string, string>;
  return V2_HEADER.split(' ').map((name) => values[name]).join(' ');
}

/** A clean record of V5_HEADER with some of its fields replaced. */
export function v5(changes: Partial<Record<string, string>> = {}): string {
  const values: Record<string, string> = {
    version: '5', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', srcport: '49152', dstport: '443', protocol: '6', 'tcp-flags': '19', type: 'IPv4',
    start: '1700000000', end: '1700000060', 'flow-direction': 'egress', 'traffic-path': '1', action: 'ACCEPT', 'log-status': 'OK', ...changes,
  } as Record<string, string>;
  return V5_HEADER.split(' ').map((name) => values[name]).join(' ');
}

const doc = (header: string, ...records: string[]): string => [header, ...records, ''].join('\n');

export interface RuleExample {
  /** The document. */
  text: string;
  /** flowlog.maxProblems for the example, when the rule needs a small one. */
  maxProblems?: number;
  /** flowlog.format (`--fields`), when the rule is about it. */
  format?: string;
  /** Set for a rule that pairing reports, not validation: the editor's conversations (test/lsp/conversations.test.ts) and `flowlog lint` (ReplyRejectedCheck). */
  conversations?: true;
}

export const RULE_EXAMPLES: Record<RuleCode, RuleExample> = {
  'field-count': { text: doc(V2_HEADER, v2().split(' ').slice(0, 12).join(' '), v2()) },
  'two-records': { text: doc(V2_HEADER, `${v2()} ${v2()}`) },
  'unreadable-json': { text: doc(V2_HEADER, `{"message":"${v2()}`) },
  'wrapped-record': { text: doc(V2_HEADER, v2().split(' ').slice(0, 7).join(' '), v2().split(' ').slice(7).join(' ')) },
  'irregular-spacing': { text: doc(V2_HEADER, v2().replace(' ', '  ')) },
  'invalid-address': { text: doc(V2_HEADER, v2({ srcaddr: '10.0.0.256' })) },
  'invalid-port': { text: doc(V2_HEADER, v2({ srcport: '65536' })) },
  'invalid-protocol': { text: doc(V2_HEADER, v2({ protocol: '256' })) },
  'invalid-number': { text: doc(V2_HEADER, v2({ packets: '1e3' })) },
  'unsafe-integer': { text: doc(V2_HEADER, v2({ bytes: '9007199254740993' })) },
  'invalid-timestamp': { text: doc(V2_HEADER, v2({ start: '4102444801', end: '4102444801' })) },
  'millisecond-timestamp': { text: doc(V2_HEADER, v2({ start: '1700000000000', end: '1700000060000' })) },
  'invalid-account-id': { text: doc(V2_HEADER, v2({ 'account-id': '12345' })) },
  'invalid-resource-id': { text: doc(V2_HEADER, v2({ 'interface-id': 'vpc-0123456789abcdef0' })) },
  'invalid-value': { text: doc(V2_HEADER, v2({ action: 'accept' })) },
  'unknown-value': { text: doc('version srcaddr dstaddr reject-reason', '8 10.0.0.1 10.0.0.2 XYZ') },
  'invalid-shape': { text: doc('version srcaddr dstaddr region', '4 10.0.0.1 10.0.0.2 us-1') },
  'start-after-end': { text: doc(V2_HEADER, v2({ start: '1700000060', end: '1700000000' })) },
  'window-too-long': { text: doc(V2_HEADER, v2({ end: '1700000601' })) },
  'nodata-with-traffic': { text: doc(V2_HEADER, v2({ action: '-', 'log-status': 'NODATA' })) },
  'ok-missing-traffic': { text: doc(V2_HEADER, v2({ packets: '-' })) },
  'impossible-tcp-flags': { text: doc(V5_HEADER, v5({ 'tcp-flags': '8' })) },
  'tcp-flags-non-tcp': { text: doc(V5_HEADER, v5({ protocol: '17' })) },
  'type-mismatch': { text: doc(V5_HEADER, v5({ dstaddr: '2001:db8::1' })) },
  'traffic-path-ingress': { text: doc(V5_HEADER, v5({ 'flow-direction': 'ingress' })) },
  'unknown-field': { text: doc('# fields: version srcaddr dstaddr no-such-field', '2 10.0.0.1 10.0.0.2 x') },
  'duplicate-field': { text: doc('# fields: version srcaddr dstaddr srcaddr', '2 10.0.0.1 10.0.0.2 10.0.0.3') },
  'explicit-format-unused': { text: doc(V2_HEADER, v2()), format: 'tgw-default' },
  // The request to port 443 accepted, the server's reply from 443 rejected.
  'reply-rejected': { text: doc(V2_HEADER, v2({ srcaddr: '10.0.0.2', dstaddr: '10.0.0.1', srcport: '49152', dstport: '443' }), v2({ action: 'REJECT' })), conversations: true },
  'multiple-formats': { text: doc(V2_HEADER, v2(), 'version srcaddr dstaddr', '2 10.0.0.1 10.0.0.2') },
  'not-flow-log': { text: 'Dear reader,\nthis file is a letter and not a flow log at all.\n' },
  'problem-limit': { text: doc(V2_HEADER, v2({ srcport: 'x' }), v2({ srcport: 'y' }), v2({ srcport: 'z' })), maxProblems: 1 },
  'ambiguous-format': { text: ['10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK', '10.0.0.3 10.0.0.4 80 50000 6 12 900 1700000000 1700000060 REJECT OK', ''].join('\n') },
};
