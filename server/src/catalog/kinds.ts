/**
 * What the catalog knows per value kind, in one table: how hover names a kind, its integer range,
 * what a valid value looks like in a message, how much a fitting value tells inference, and
 * whether its decoding earns an inlay hint. Value checks (values.ts), the fast path, inference,
 * hover, messages and inlay hints read this table instead of switching over kinds each.
 */
import type { ValueKind } from './fields';

/** Traffic-path codes 1…n, in order: a short label and AWS's wording. */
export const TRAFFIC_PATHS: readonly { readonly label: string; readonly meaning: string }[] = [
  { label: 'same VPC', meaning: 'Through another resource in the same VPC, including resources that create a network interface in the VPC.' },
  { label: 'IGW or gateway endpoint', meaning: 'Through an internet gateway or a gateway VPC endpoint.' },
  { label: 'virtual private gateway', meaning: 'Through a virtual private gateway.' },
  { label: 'intra-region peering', meaning: 'Through an intra-region VPC peering connection.' },
  { label: 'inter-region peering', meaning: 'Through an inter-region VPC peering connection.' },
  { label: 'local gateway', meaning: 'Through a local gateway. (Newer wording, secondary source: through a Local Zone or Wavelength Zone.)' },
  { label: 'gateway endpoint (Nitro)', meaning: 'Through a gateway VPC endpoint (Nitro-based instances only).' },
  { label: 'internet gateway (Nitro)', meaning: 'Through an internet gateway (Nitro-based instances only).' },
];

export interface KindFacts {
  /** How hover names the kind. */
  readonly label: string;
  /** Values are integers (numbers in JSON output; encryption-status is an integer enum besides). */
  readonly integer: boolean;
  /** Inclusive range of an integer kind that value checks accept. */
  readonly min?: number;
  readonly max?: number;
  /** What a valid value is, for the message about a bad one. */
  readonly expected?: string;
  /** How much a fitting value tells inference about a column (ids and enums say most). */
  readonly evidence: number;
  /** Whether a value's decoding is worth an inlay hint after every value (inlayHints.ts refines per field). */
  readonly inlayHint: boolean;
}

export const VALUE_KINDS: Readonly<Record<ValueKind, KindFacts>> = {
  version: { label: 'version number', integer: true, min: 0, max: 99, expected: 'a small integer such as 2 or 5', evidence: 1, inlayHint: false },
  accountId: { label: 'account ID', integer: false, evidence: 3, inlayHint: true },
  // Ids with a known prefix say more (4) than any `kind-hex` id (see infer.ts).
  resourceId: { label: 'resource ID', integer: false, evidence: 4, inlayHint: false },
  address: { label: 'IPv4 or IPv6 address', integer: false, evidence: 3, inlayHint: false },
  port: { label: 'port number', integer: true, min: 0, max: 65535, expected: 'an integer from 0 to 65535', evidence: 1, inlayHint: true },
  protocol: { label: 'IANA protocol number', integer: true, min: 0, max: 255, expected: 'an IANA protocol number from 0 to 255', evidence: 1, inlayHint: true },
  count: { label: 'counter', integer: true, min: 0, expected: 'a non-negative integer below 2^64', evidence: 0.5, inlayHint: true },
  time: { label: 'Unix time (seconds)', integer: true, min: 0, expected: 'a Unix time in seconds', evidence: 2, inlayHint: true },
  // Closed enums say much (4), open ones little (see infer.ts).
  enum: { label: 'one of a fixed set of values', integer: false, evidence: 4, inlayHint: false },
  tcpFlags: { label: 'TCP flag bitmask', integer: true, min: 0, max: 255, expected: 'a bitmask from 0 to 255', evidence: 1, inlayHint: true },
  trafficPath: {
    label: 'traffic path code',
    integer: true,
    min: 1,
    max: TRAFFIC_PATHS.length,
    expected: `a traffic path code from 1 to ${TRAFFIC_PATHS.length}`,
    evidence: 1,
    inlayHint: true,
  },
  region: { label: 'Region name', integer: false, expected: 'a Region name such as us-east-1', evidence: 3, inlayHint: false },
  azId: { label: 'Availability Zone ID', integer: false, expected: 'an Availability Zone ID such as use1-az4', evidence: 3, inlayHint: false },
  awsService: { label: 'AWS service name', integer: false, expected: 'an AWS service name such as S3 or AMAZON', evidence: 1, inlayHint: false },
  arn: { label: 'ARN', integer: false, expected: 'an ARN (arn:partition:service:region:account:resource)', evidence: 3, inlayHint: false },
  text: { label: 'text', integer: false, evidence: 0.1, inlayHint: true },
};
