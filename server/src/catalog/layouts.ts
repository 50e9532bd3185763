/**
 * Field orders that real flow logs are known to use. Format inference tries these first when a
 * file has no header line; `flowlog.format` and `--fields` accept their ids as shorthands.
 */

export interface KnownLayout {
  readonly id: string;
  readonly label: string;
  readonly kind: 'vpc' | 'tgw';
  readonly fields: readonly string[];
  /** Where the layout is seen. */
  readonly source: string;
}

const words = (text: string): string[] => text.trim().split(/\s+/);

export const DEFAULT_V2 = words(
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
);

/** All v2–v5 fields in the documentation's table order (29). */
const ALL_V5 = [
  ...DEFAULT_V2,
  ...words('vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id'),
  ...words('pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path'),
];

const ECS_FIELDS = words(
  'ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id',
);

export const TGW_DEFAULT = words(
  'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service',
);

export const KNOWN_LAYOUTS: readonly KnownLayout[] = [
  { id: 'default', label: 'VPC default (v2)', kind: 'vpc', fields: DEFAULT_V2, source: 'AWS default format' },
  { id: 'tgw-default', label: 'Transit Gateway default', kind: 'tgw', fields: TGW_DEFAULT, source: 'AWS Transit Gateway default format' },
  { id: 'all-v5', label: 'all v2–v5 fields', kind: 'vpc', fields: ALL_V5, source: 'documentation table order (Elastic, Athena)' },
  { id: 'all-v7', label: 'all v2–v5 fields + ECS', kind: 'vpc', fields: [...ALL_V5, ...ECS_FIELDS], source: 'Elastic integration test data' },
  { id: 'all-v8', label: 'all v2–v5 fields + ECS + reject-reason', kind: 'vpc', fields: [...ALL_V5, ...ECS_FIELDS, 'reject-reason'], source: 'Elastic integration test data' },
  { id: 'alphabetical-v5', label: 'v2–v5 fields, alphabetical', kind: 'vpc', fields: [...ALL_V5].sort(), source: 'S3 flow logs seen in flowlogs-reader tests and elastic/integrations#8532' },
  {
    id: 'alphabetical-v3', label: 'v2–v3 fields, alphabetical (no interface-id, action, log-status)', kind: 'vpc',
    fields: words('account-id bytes dstaddr dstport end instance-id packets pkt-dstaddr pkt-srcaddr protocol srcaddr srcport start subnet-id tcp-flags type version vpc-id'),
    source: 'flowlogs-reader S3 test data',
  },
  {
    id: 'aws-example-tcp-flags', label: 'AWS example: TCP flag sequence (v3)', kind: 'vpc',
    fields: words('version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status'),
    source: 'AWS flow log record examples',
  },
  {
    id: 'aws-example-nat-gateway', label: 'AWS example: NAT gateway', kind: 'vpc',
    fields: words('instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr'),
    source: 'AWS flow log record examples',
  },
  {
    id: 'aws-example-transit-gateway', label: 'AWS example: traffic through a transit gateway (v3)', kind: 'vpc',
    fields: words('version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status'),
    source: 'AWS flow log record examples',
  },
  {
    id: 'aws-example-service-path', label: 'AWS example: service name, traffic path and direction (v5)', kind: 'vpc',
    fields: words('version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status'),
    source: 'AWS flow log record examples',
  },
];

export function layoutById(id: string): KnownLayout | undefined {
  const wanted = id.toLowerCase();
  return KNOWN_LAYOUTS.find((layout) => layout.id === wanted);
}
