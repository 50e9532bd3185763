/**
 * What the catalog knows per value kind, in one table: how hover names a kind, its integer range,
 * what a valid value looks like in a message, how much a fitting value tells inference, whether
 * its decoding earns an inlay hint, and its decoder. Value checks (values.ts), the fast path,
 * inference, hover, messages, inlay hints and `decodeValue` read this table instead of switching
 * over kinds each: a new kind is one entry here (and its name in `ValueKind`).
 *
 * The decoders live in decoders.ts and decodersAws.ts, which read this table too; the entries call
 * them lazily, so the two modules may import each other.
 */
import type { DecodeContext, DecodedValue } from './decodeText';
import { decodeAddress, decodeCount, decodeEnum, decodePort, decodeProtocol, decodeTcpFlags, decodeTime, decodeTrafficPath } from './decoders';
import { decodeAccount, decodeArn, decodeAwsService, decodeAzId, decodeRegion, decodeResourceId, decodeText, decodeVersion } from './decodersAws';
import type { FieldSpec, ValueKind } from './fields';

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
  /** What a value (not `-`, not empty) means, for hovers and inlay hints; undefined when it cannot be read as the kind. */
  readonly decode: (spec: FieldSpec, raw: string, context: DecodeContext) => DecodedValue | undefined;
}

export const VALUE_KINDS: Readonly<Record<ValueKind, KindFacts>> = {
  version: { label: 'version number', integer: true, min: 0, max: 99, expected: 'a small integer such as 2 or 5', evidence: 1, inlayHint: false, decode: (_spec, raw, context) => decodeVersion(raw, context) },
  accountId: { label: 'account ID', integer: false, evidence: 3, inlayHint: true, decode: (_spec, raw) => decodeAccount(raw) },
  // Ids with a known prefix say more (4) than any `kind-hex` id (see infer.ts).
  resourceId: { label: 'resource ID', integer: false, evidence: 4, inlayHint: false, decode: (spec, raw) => decodeResourceId(spec, raw) },
  address: { label: 'IPv4 or IPv6 address', integer: false, evidence: 3, inlayHint: false, decode: (_spec, raw) => decodeAddress(raw) },
  port: { label: 'port number', integer: true, min: 0, max: 65535, expected: 'an integer from 0 to 65535', evidence: 1, inlayHint: true, decode: (_spec, raw, context) => decodePort(raw, context) },
  protocol: { label: 'IANA protocol number', integer: true, min: 0, max: 255, expected: 'an IANA protocol number from 0 to 255', evidence: 1, inlayHint: true, decode: (_spec, raw) => decodeProtocol(raw) },
  count: { label: 'counter', integer: true, min: 0, expected: 'a non-negative integer below 2^64', evidence: 0.5, inlayHint: true, decode: (spec, raw, context) => decodeCount(spec, raw, context) },
  time: { label: 'Unix time (seconds)', integer: true, min: 0, expected: 'a Unix time in seconds', evidence: 2, inlayHint: true, decode: (spec, raw, context) => decodeTime(spec, raw, context) },
  // Closed enums say much (4), open ones little (see infer.ts).
  enum: { label: 'one of a fixed set of values', integer: false, evidence: 4, inlayHint: false, decode: (spec, raw) => decodeEnum(spec, raw) },
  tcpFlags: { label: 'TCP flag bitmask', integer: true, min: 0, max: 255, expected: 'a bitmask from 0 to 255', evidence: 1, inlayHint: true, decode: (_spec, raw, context) => decodeTcpFlags(raw, context) },
  trafficPath: {
    label: 'traffic path code',
    integer: true,
    min: 1,
    max: TRAFFIC_PATHS.length,
    expected: `a traffic path code from 1 to ${TRAFFIC_PATHS.length}`,
    evidence: 1,
    inlayHint: true,
    decode: (_spec, raw) => decodeTrafficPath(raw),
  },
  region: { label: 'Region name', integer: false, expected: 'a Region name such as us-east-1', evidence: 3, inlayHint: false, decode: (_spec, raw) => decodeRegion(raw) },
  azId: { label: 'Availability Zone ID', integer: false, expected: 'an Availability Zone ID such as use1-az4', evidence: 3, inlayHint: false, decode: (_spec, raw) => decodeAzId(raw) },
  awsService: { label: 'AWS service name', integer: false, expected: 'an AWS service name such as S3 or AMAZON', evidence: 1, inlayHint: false, decode: (_spec, raw) => decodeAwsService(raw) },
  arn: { label: 'ARN', integer: false, expected: 'an ARN (arn:partition:service:region:account:resource)', evidence: 3, inlayHint: false, decode: (_spec, raw) => decodeArn(raw) },
  text: { label: 'text', integer: false, evidence: 0.1, inlayHint: true, decode: (_spec, raw) => decodeText(raw) },
};
