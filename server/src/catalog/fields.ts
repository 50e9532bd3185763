/**
 * The field catalog: the only place that knows what a flow log field is called, which version
 * introduced it, what kind of value it holds and what it means. Everything else (parser,
 * validation, hover, completion, semantic tokens, CLI, README field list) reads this table.
 *
 * Sources are the ones named in shared/reference/flowlog-spec.md. Facts that the spec marks as
 * "secondary" (not from AWS's own pages) carry `secondary: true` and say so in their description.
 */

/** What shape a field's value has; decides validation, decoding and colouring. */
export type ValueKind =
  | 'version'
  | 'accountId'
  | 'resourceId'
  | 'address'
  | 'port'
  | 'protocol'
  | 'count'
  | 'time'
  | 'enum'
  | 'tcpFlags'
  | 'trafficPath'
  | 'region'
  | 'azId'
  | 'awsService'
  | 'arn'
  | 'text';

/** Which flow log family a field belongs to. */
export type Family = 'vpc' | 'tgw' | 'both';

/** Groups used for semantic colouring, so that a theme colours fields by meaning. */
export type FieldClass =
  | 'version'
  | 'account'
  | 'resource'
  | 'address'
  | 'port'
  | 'protocol'
  | 'counter'
  | 'time'
  | 'action'
  | 'status'
  | 'flags'
  | 'direction'
  | 'location'
  | 'service'
  | 'metadata';

export interface EnumValue {
  readonly value: string;
  readonly meaning: string;
  readonly secondary?: boolean;
}

export interface FieldSpec {
  /** AWS's hyphenated name, as in S3 header lines and `${…}` LogFormat strings. */
  readonly name: string;
  /** Version that introduced the field (6 is the Transit Gateway field set). */
  readonly version: number;
  readonly family: Family;
  readonly kind: ValueKind;
  readonly fieldClass: FieldClass;
  /** A short label, e.g. "Source port". */
  readonly title: string;
  readonly description: string;
  /** Wording that differs for Transit Gateway records. */
  readonly tgwDescription?: string;
  /** Allowed values of an enumeration. */
  readonly values?: readonly EnumValue[];
  /** An enumeration whose list is known to grow: unknown values are hints, not warnings. */
  readonly openEnum?: boolean;
  /** Accepted prefixes of a resource id (`eni-`); empty means any `prefix-hex` id. */
  readonly idPrefixes?: readonly string[];
  /** Set when the spec marks the field's facts as coming from secondary sources. */
  readonly secondary?: boolean;
  /** Parquet type in AWS's table. */
  readonly parquet: 'INT_32' | 'INT_64' | 'STRING';
}

const ACTIONS: readonly EnumValue[] = [
  { value: 'ACCEPT', meaning: 'The traffic was accepted.' },
  {
    value: 'REJECT',
    meaning:
      'The traffic was rejected: for example, the security groups or network ACLs did not allow it, or packets arrived after the connection was closed.',
  },
];

const LOG_STATUSES: readonly EnumValue[] = [
  { value: 'OK', meaning: 'Data is logging normally to the chosen destinations.' },
  { value: 'NODATA', meaning: 'There was no network traffic to or from the network interface during the aggregation interval.' },
  {
    value: 'SKIPDATA',
    meaning:
      'Some flow log records were skipped during the aggregation interval (an internal capacity constraint or an internal error). One SKIPDATA record can stand for several flows that were not captured.',
  },
];

const ADDRESS_TYPES: readonly EnumValue[] = [
  { value: 'IPv4', meaning: 'IPv4 traffic.' },
  { value: 'IPv6', meaning: 'IPv6 traffic.' },
  { value: 'EFA', meaning: 'Elastic Fabric Adapter traffic.' },
];

const DIRECTIONS: readonly EnumValue[] = [
  { value: 'ingress', meaning: 'Traffic arriving at the interface where it was captured.' },
  { value: 'egress', meaning: 'Traffic leaving the interface where it was captured.' },
];

const INTERFACE_TYPES: readonly EnumValue[] = [
  { value: 'nat_gateway', meaning: 'A NAT gateway interface.', secondary: true },
  { value: 'network_load_balancer', meaning: 'A Network Load Balancer interface.', secondary: true },
  { value: 'regional_nat_gateway', meaning: 'A regional NAT gateway.', secondary: true },
  { value: 'transit_gateway', meaning: 'A transit gateway attachment interface.', secondary: true },
  { value: 'vpc_endpoint', meaning: 'A VPC endpoint interface.', secondary: true },
];

const SECONDARY_NOTE = ' (Secondary source: not taken from AWS’s own documentation pages.)';

type FieldRow = Omit<FieldSpec, 'parquet'> & { parquet?: FieldSpec['parquet'] };

function field(row: FieldRow): FieldSpec {
  const description = row.secondary ? row.description + SECONDARY_NOTE : row.description;
  return { parquet: 'STRING', ...row, description };
}

/** Every field, VPC (v2–v11) and Transit Gateway (v6), in AWS's table order. */
export const FIELDS: readonly FieldSpec[] = [
  field({ name: 'version', version: 2, family: 'both', kind: 'version', fieldClass: 'version', parquet: 'INT_32', title: 'Flow log version',
    description: 'The flow log version. The default format uses 2; a custom format uses the highest version among its fields. Real data does not always follow this, so it is not checked against the fields.',
    tgwDescription: 'The flow log version; Transit Gateway records carry 6.' }),
  field({ name: 'account-id', version: 2, family: 'both', kind: 'accountId', fieldClass: 'account', title: 'Account ID',
    description: 'AWS account ID of the owner of the source network interface. `unknown` for interfaces created by an AWS service (VPC endpoint, Network Load Balancer).',
    tgwDescription: 'AWS account ID of the owner of the source transit gateway.' }),
  field({ name: 'interface-id', version: 2, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['eni-'], title: 'Network interface',
    description: 'ID of the network interface for which the traffic is recorded. `-` for traffic of a regional NAT gateway, whose ID is then in resource-id (secondary source).' }),
  field({ name: 'srcaddr', version: 2, family: 'both', kind: 'address', fieldClass: 'address', title: 'Source address',
    description: 'Source address of incoming traffic, or the IPv4 or IPv6 address of the network interface for outgoing traffic. An interface’s IPv4 address is always its private address. See also pkt-srcaddr.',
    tgwDescription: 'Source address of the traffic through the transit gateway.' }),
  field({ name: 'dstaddr', version: 2, family: 'both', kind: 'address', fieldClass: 'address', title: 'Destination address',
    description: 'Destination address of outgoing traffic, or the IPv4 or IPv6 address of the network interface for incoming traffic. See also pkt-dstaddr.',
    tgwDescription: 'Destination address of the traffic through the transit gateway.' }),
  field({ name: 'srcport', version: 2, family: 'both', kind: 'port', fieldClass: 'port', parquet: 'INT_32', title: 'Source port',
    description: 'Source port of the traffic (0 for ICMP).' }),
  field({ name: 'dstport', version: 2, family: 'both', kind: 'port', fieldClass: 'port', parquet: 'INT_32', title: 'Destination port',
    description: 'Destination port of the traffic (0 for ICMP).' }),
  field({ name: 'protocol', version: 2, family: 'both', kind: 'protocol', fieldClass: 'protocol', parquet: 'INT_32', title: 'Protocol',
    description: 'IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, …).' }),
  field({ name: 'packets', version: 2, family: 'both', kind: 'count', fieldClass: 'counter', parquet: 'INT_64', title: 'Packets',
    description: 'Number of packets transferred during the aggregation interval.' }),
  field({ name: 'bytes', version: 2, family: 'both', kind: 'count', fieldClass: 'counter', parquet: 'INT_64', title: 'Bytes',
    description: 'Number of bytes transferred during the aggregation interval.' }),
  field({ name: 'start', version: 2, family: 'both', kind: 'time', fieldClass: 'time', parquet: 'INT_64', title: 'Start time',
    description: 'Time, in Unix seconds, when the first packet of the flow was received within the aggregation interval. It can be up to 60 seconds after the packet was on the wire.' }),
  field({ name: 'end', version: 2, family: 'both', kind: 'time', fieldClass: 'time', parquet: 'INT_64', title: 'End time',
    description: 'Time, in Unix seconds, when the last packet of the flow was received within the aggregation interval. It can be up to 60 seconds after the packet was on the wire.' }),
  field({ name: 'action', version: 2, family: 'vpc', kind: 'enum', fieldClass: 'action', values: ACTIONS, title: 'Action',
    description: 'What the security groups and network ACLs did with the traffic. `-` on NODATA and SKIPDATA records.' }),
  field({ name: 'log-status', version: 2, family: 'both', kind: 'enum', fieldClass: 'status', values: LOG_STATUSES, title: 'Log status',
    description: 'Logging status of the flow log.' }),
  field({ name: 'vpc-id', version: 3, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['vpc-'], title: 'VPC',
    description: 'ID of the VPC that contains the network interface.' }),
  field({ name: 'subnet-id', version: 3, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['subnet-'], title: 'Subnet',
    description: 'ID of the subnet that contains the network interface.' }),
  field({ name: 'instance-id', version: 3, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['i-'], title: 'Instance',
    description: 'ID of the instance associated with the network interface, if you own it. `-` for requester-managed interfaces such as a NAT gateway or a transit gateway attachment.' }),
  field({ name: 'tcp-flags', version: 3, family: 'both', kind: 'tcpFlags', fieldClass: 'flags', parquet: 'INT_32', title: 'TCP flags',
    description: 'Bitmask of TCP flags seen during the aggregation interval: FIN 1, SYN 2, RST 4, SYN-ACK 18. Flags are OR-ed over the interval (19 is SYN-ACK and FIN). ACK or PSH alone are not recorded and give 0.',
    tgwDescription: 'Bitmask of TCP flags seen during the aggregation interval. When a flow consists of only ACK packets the value is 0, not 16.' }),
  field({ name: 'type', version: 3, family: 'both', kind: 'enum', fieldClass: 'protocol', values: ADDRESS_TYPES, title: 'Traffic type',
    description: 'Type of traffic.' }),
  field({ name: 'pkt-srcaddr', version: 3, family: 'vpc', kind: 'address', fieldClass: 'address', title: 'Packet source address',
    description: 'Packet-level (original) source address. It differs from srcaddr when traffic passes an intermediate layer such as a NAT gateway, or for an EKS pod address behind its node’s interface.' }),
  field({ name: 'pkt-dstaddr', version: 3, family: 'vpc', kind: 'address', fieldClass: 'address', title: 'Packet destination address',
    description: 'Packet-level (original) destination address. It differs from dstaddr when traffic passes an intermediate layer such as a NAT gateway.' }),
  field({ name: 'region', version: 4, family: 'both', kind: 'region', fieldClass: 'location', title: 'Region',
    description: 'Region that contains the network interface.', tgwDescription: 'Region of the transit gateway.' }),
  field({ name: 'az-id', version: 4, family: 'vpc', kind: 'azId', fieldClass: 'location', title: 'Availability Zone ID',
    description: 'ID of the Availability Zone that contains the network interface (e.g. use1-az4). `-` for traffic from a sublocation.' }),
  field({ name: 'sublocation-type', version: 4, family: 'vpc', kind: 'enum', fieldClass: 'location', title: 'Sublocation type',
    values: [
      { value: 'wavelength', meaning: 'A Wavelength Zone.' },
      { value: 'outpost', meaning: 'An Outpost.' },
      { value: 'localzone', meaning: 'A Local Zone.' },
    ],
    description: 'Type of sublocation of the interface; `-` when it is not in a sublocation.' }),
  field({ name: 'sublocation-id', version: 4, family: 'vpc', kind: 'text', fieldClass: 'location', title: 'Sublocation ID',
    description: 'ID of the sublocation that contains the interface; `-` when it is not in a sublocation.' }),
  field({ name: 'pkt-src-aws-service', version: 5, family: 'both', kind: 'awsService', fieldClass: 'service', title: 'Packet source AWS service',
    description: 'Name of the subset of AWS IP ranges (ip-ranges.json service) that pkt-srcaddr belongs to. For overlapping ranges only one service is shown.',
    tgwDescription: 'Name of the subset of AWS IP ranges (ip-ranges.json service) that srcaddr belongs to (Transit Gateway records have no pkt-srcaddr). For overlapping ranges only one service is shown.' }),
  field({ name: 'pkt-dst-aws-service', version: 5, family: 'both', kind: 'awsService', fieldClass: 'service', title: 'Packet destination AWS service',
    description: 'Name of the subset of AWS IP ranges (ip-ranges.json service) that pkt-dstaddr belongs to.',
    tgwDescription: 'Name of the subset of AWS IP ranges (ip-ranges.json service) that dstaddr belongs to (Transit Gateway records have no pkt-dstaddr).' }),
  field({ name: 'flow-direction', version: 5, family: 'both', kind: 'enum', fieldClass: 'direction', values: DIRECTIONS, title: 'Flow direction',
    description: 'Direction of the flow relative to the interface where the traffic is captured.' }),
  field({ name: 'traffic-path', version: 5, family: 'vpc', kind: 'trafficPath', fieldClass: 'direction', parquet: 'INT_32', title: 'Traffic path',
    description: 'Path that egress traffic takes to its destination; `-` when none applies. Not supported for ingress traffic.' }),
  field({ name: 'ecs-cluster-arn', version: 7, family: 'vpc', kind: 'arn', fieldClass: 'metadata', title: 'ECS cluster ARN',
    description: 'ARN of the ECS cluster, when the traffic is from a running ECS task.' }),
  field({ name: 'ecs-cluster-name', version: 7, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'ECS cluster name',
    description: 'Name of the ECS cluster, when the traffic is from a running ECS task.' }),
  field({ name: 'ecs-container-instance-arn', version: 7, family: 'vpc', kind: 'arn', fieldClass: 'metadata', title: 'ECS container instance ARN',
    description: 'ARN of the ECS container instance when the task runs on EC2; `-` on Fargate.' }),
  field({ name: 'ecs-container-instance-id', version: 7, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'ECS container instance ID',
    description: 'ID of the ECS container instance when the task runs on EC2; `-` on Fargate.' }),
  field({ name: 'ecs-container-id', version: 7, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'ECS container ID',
    description: 'Docker runtime ID of the (first) container of the task.' }),
  field({ name: 'ecs-second-container-id', version: 7, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'ECS second container ID',
    description: 'Docker runtime ID of the second container, when the task has more than one.' }),
  field({ name: 'ecs-service-name', version: 7, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'ECS service name',
    description: 'Name of the ECS service when the task was started by a service; otherwise `-`.' }),
  field({ name: 'ecs-task-definition-arn', version: 7, family: 'vpc', kind: 'arn', fieldClass: 'metadata', title: 'ECS task definition ARN',
    description: 'ARN of the ECS task definition.' }),
  field({ name: 'ecs-task-arn', version: 7, family: 'vpc', kind: 'arn', fieldClass: 'metadata', title: 'ECS task ARN',
    description: 'ARN of the ECS task.' }),
  field({ name: 'ecs-task-id', version: 7, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'ECS task ID',
    description: 'ID of the ECS task.' }),
  field({ name: 'reject-reason', version: 8, family: 'vpc', kind: 'enum', fieldClass: 'action', openEnum: true, title: 'Reject reason',
    values: [
      { value: 'BPA', meaning: 'Rejected by VPC Block Public Access.' },
      { value: 'EC', meaning: 'Rejected by VPC Encryption Controls.', secondary: true },
    ],
    description: 'Why the traffic was rejected. AWS lists BPA (VPC Block Public Access); any other reason is `-`. Newer documentation reportedly adds EC (secondary source).' }),
  field({ name: 'resource-id', version: 9, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: [], secondary: true, title: 'Resource ID',
    description: 'ID of the resource for flows that are not tied to a network interface, such as a regional NAT gateway (`nat-…`).' }),
  field({ name: 'encryption-status', version: 10, family: 'vpc', kind: 'enum', fieldClass: 'flags', parquet: 'INT_32', title: 'Encryption status',
    values: [
      { value: '0', meaning: 'Not encrypted.' },
      { value: '1', meaning: 'Nitro-encrypted (managed by VPC Encryption Controls).' },
      { value: '2', meaning: 'Application-encrypted (e.g. TCP 443 to an interface or gateway endpoint; AWS infers this from the port, not the payload).' },
      { value: '3', meaning: 'Both Nitro-encrypted and application-encrypted.' },
    ],
    description: 'Encryption status of the traffic; `-` when unknown or when VPC Encryption Controls are off. Must be added explicitly to a flow log.' }),
  field({ name: 'instance-tag', version: 11, family: 'vpc', kind: 'text', fieldClass: 'metadata', secondary: true, title: 'Instance tag',
    description: 'Value of the EC2 instance tag key chosen in TagFieldSpecifications; special characters are percent-encoded.' }),
  field({ name: 'instance-tag-2', version: 11, family: 'vpc', kind: 'text', fieldClass: 'metadata', secondary: true, title: 'Second instance tag',
    description: 'Value of the second chosen EC2 instance tag key.' }),
  field({ name: 'interface-tag', version: 11, family: 'vpc', kind: 'text', fieldClass: 'metadata', secondary: true, title: 'Interface tag',
    description: 'Value of the chosen network interface tag key.' }),
  field({ name: 'interface-tag-2', version: 11, family: 'vpc', kind: 'text', fieldClass: 'metadata', secondary: true, title: 'Second interface tag',
    description: 'Value of the second chosen network interface tag key.' }),
  field({ name: 'asg-tag', version: 11, family: 'vpc', kind: 'text', fieldClass: 'metadata', secondary: true, title: 'Auto Scaling group tag',
    description: 'Value of the chosen Auto Scaling group tag key.' }),
  field({ name: 'asg-tag-2', version: 11, family: 'vpc', kind: 'text', fieldClass: 'metadata', secondary: true, title: 'Second Auto Scaling group tag',
    description: 'Value of the second chosen Auto Scaling group tag key.' }),
  field({ name: 'interface-type', version: 11, family: 'vpc', kind: 'enum', fieldClass: 'resource', values: INTERFACE_TYPES, openEnum: true, secondary: true, title: 'Interface type',
    description: 'Type of the local network interface that captured the flow.' }),
  field({ name: 'next-hop-interface-id', version: 11, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['eni-'], secondary: true, title: 'Next-hop interface',
    description: 'Network interface of the next hop: the receiving interface for egress traffic, the sending one for ingress.' }),
  field({ name: 'next-hop-subnet-id', version: 11, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['subnet-'], secondary: true, title: 'Next-hop subnet',
    description: 'Subnet of the next hop.' }),
  field({ name: 'next-hop-az-id', version: 11, family: 'vpc', kind: 'azId', fieldClass: 'location', secondary: true, title: 'Next-hop Availability Zone ID',
    description: 'Availability Zone ID of the next hop.' }),
  field({ name: 'next-hop-vpc-id', version: 11, family: 'vpc', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['vpc-'], secondary: true, title: 'Next-hop VPC',
    description: 'VPC of the next hop.' }),
  field({ name: 'next-hop-interface-type', version: 11, family: 'vpc', kind: 'enum', fieldClass: 'resource', values: INTERFACE_TYPES, openEnum: true, secondary: true, title: 'Next-hop interface type',
    description: 'Type of the next hop, e.g. regional_nat_gateway.' }),
  // Transit Gateway fields (version 6 exists only for Transit Gateway flow logs).
  field({ name: 'resource-type', version: 6, family: 'tgw', kind: 'enum', fieldClass: 'resource', title: 'Resource type',
    values: [
      { value: 'TransitGateway', meaning: 'The flow log is for a transit gateway.' },
      { value: 'TransitGatewayAttachment', meaning: 'The flow log is for a transit gateway attachment.' },
    ],
    description: 'Type of resource the Transit Gateway flow log is created for.' }),
  field({ name: 'tgw-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['tgw-'], title: 'Transit gateway',
    description: 'ID of the transit gateway the traffic is recorded for.' }),
  field({ name: 'tgw-attachment-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['tgw-attach-'], title: 'Transit gateway attachment',
    description: 'ID of the transit gateway attachment the traffic is recorded for.' }),
  field({ name: 'tgw-src-vpc-account-id', version: 6, family: 'tgw', kind: 'accountId', fieldClass: 'account', title: 'Source VPC account',
    description: 'Account ID of the source VPC.' }),
  field({ name: 'tgw-dst-vpc-account-id', version: 6, family: 'tgw', kind: 'accountId', fieldClass: 'account', title: 'Destination VPC account',
    description: 'Account ID of the destination VPC.' }),
  field({ name: 'tgw-src-vpc-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['vpc-'], title: 'Source VPC',
    description: 'ID of the source VPC of the traffic.' }),
  field({ name: 'tgw-dst-vpc-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['vpc-'], title: 'Destination VPC',
    description: 'ID of the destination VPC of the traffic.' }),
  field({ name: 'tgw-src-subnet-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['subnet-'], title: 'Source subnet',
    description: 'ID of the subnet of the source traffic.' }),
  field({ name: 'tgw-dst-subnet-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['subnet-'], title: 'Destination subnet',
    description: 'ID of the subnet of the destination traffic.' }),
  field({ name: 'tgw-src-eni', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['eni-'], title: 'Source attachment interface',
    description: 'ID of the source transit gateway attachment network interface.' }),
  field({ name: 'tgw-dst-eni', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['eni-'], title: 'Destination attachment interface',
    description: 'ID of the destination transit gateway attachment network interface.' }),
  field({ name: 'tgw-src-az-id', version: 6, family: 'tgw', kind: 'azId', fieldClass: 'location', title: 'Source AZ ID',
    description: 'Availability Zone ID of the source transit gateway; `-` for traffic from a sublocation.' }),
  field({ name: 'tgw-dst-az-id', version: 6, family: 'tgw', kind: 'azId', fieldClass: 'location', title: 'Destination AZ ID',
    description: 'Availability Zone ID of the destination transit gateway.' }),
  field({ name: 'tgw-pair-attachment-id', version: 6, family: 'tgw', kind: 'resourceId', fieldClass: 'resource', idPrefixes: ['tgw-attach-'], title: 'Pair attachment',
    description: 'Depending on the flow direction, the egress or ingress attachment ID of the flow.' }),
  field({ name: 'packets-lost-no-route', version: 6, family: 'tgw', kind: 'count', fieldClass: 'counter', parquet: 'INT_64', title: 'Packets lost: no route',
    description: 'Packets dropped because no route was specified.' }),
  field({ name: 'packets-lost-blackhole', version: 6, family: 'tgw', kind: 'count', fieldClass: 'counter', parquet: 'INT_64', title: 'Packets lost: blackhole',
    description: 'Packets dropped by a blackhole route.' }),
  field({ name: 'packets-lost-mtu-exceeded', version: 6, family: 'tgw', kind: 'count', fieldClass: 'counter', parquet: 'INT_64', title: 'Packets lost: MTU exceeded',
    description: 'Packets dropped because their size exceeded the MTU.' }),
  field({ name: 'packets-lost-ttl-expired', version: 6, family: 'tgw', kind: 'count', fieldClass: 'counter', parquet: 'INT_64', title: 'Packets lost: TTL expired',
    description: 'Packets dropped because their time to live expired.' }),
];

const BY_NAME = new Map<string, FieldSpec>();
for (const spec of FIELDS) {
  BY_NAME.set(spec.name, spec);
  BY_NAME.set(spec.name.replace(/-/g, '_'), spec);
}

/** Looks a field up by its hyphenated or underscore name (`log-status`, `log_status`). */
export function lookupField(name: string): FieldSpec | undefined {
  return BY_NAME.get(name);
}

// Version facts are derived from the table each time they are asked for (rarely: a hover, an
// inference), so a field of a new version is all it takes for hover and inference to know it.

/** The fields that `version` introduced, in table order (empty for a version no field has). */
export function fieldsOfVersion(version: number): FieldSpec[] {
  return FIELDS.filter((spec) => spec.version === version);
}

/** Every version some field belongs to, lowest first. */
export function knownVersions(): number[] {
  return [...new Set(FIELDS.map((spec) => spec.version))].sort((a, b) => a - b);
}

/** The lowest version (the default format's) and the highest that any field has. */
export function versionRange(): { lowest: number; highest: number } {
  const versions = knownVersions();
  return { lowest: versions[0], highest: versions[versions.length - 1] };
}

/** The version of the Transit Gateway field set. */
export function transitGatewayVersion(): number {
  return FIELDS.find((spec) => spec.family === 'tgw')?.version ?? 0;
}
