/**
 * Decoders for AWS identifiers and metadata: account IDs, resource IDs, versions, Regions,
 * Availability Zone IDs, AWS service names, ARNs and percent-encoded tag values.
 */
import { fieldsOfVersion, transitGatewayVersion, versionRange, type FieldSpec } from './fields';
import { clip, code, parseUint, plural, showable, type DecodeContext, type DecodedValue } from './decodeText';

export function decodeAccount(raw: string): DecodedValue | undefined {
  if (raw === 'unknown') {
    return {
      short: 'AWS-service owned',
      lines: ['`unknown`: the interface was created by an AWS service (e.g. a VPC endpoint or a Network Load Balancer), so the owner is not shown.'],
    };
  }
  if (!/^\d{12}$/.test(raw)) return undefined;
  const lines = [`AWS account ${code(raw)}`];
  if (raw.startsWith('0')) lines.push('Leading zeros are part of the ID: keep it as text, not a number.');
  return { short: '', lines };
}

// ---- resource ids, version, locations, services, ARNs, text ---------------------------------

const RESOURCE_KINDS: Readonly<Record<string, string>> = {
  eni: 'network interface', vpc: 'VPC', subnet: 'subnet', i: 'EC2 instance', tgw: 'transit gateway',
  'tgw-attach': 'transit gateway attachment', 'tgw-rtb': 'transit gateway route table', nat: 'NAT gateway',
  vpce: 'VPC endpoint', 'vpce-svc': 'VPC endpoint service', igw: 'internet gateway', eigw: 'egress-only internet gateway',
  vgw: 'virtual private gateway', cgw: 'customer gateway', vpn: 'Site-to-Site VPN connection', pcx: 'VPC peering connection',
  lgw: 'local gateway', rtb: 'route table', sg: 'security group', acl: 'network ACL', eipalloc: 'Elastic IP allocation',
  fl: 'flow log', 'cvpn-endpoint': 'Client VPN endpoint', 'vpc-endpoint': 'VPC endpoint',
};

export function decodeResourceId(spec: FieldSpec, raw: string): DecodedValue | undefined {
  if (raw.length > 100) return undefined; // keeps the regex linear-time on garbage
  const m = /^([a-z]+(?:-[a-z]+)*)-([0-9A-Za-z\u0080-\uffff]+)$/.exec(raw);
  const prefix = m?.[1];
  const kind = prefix === undefined ? undefined : RESOURCE_KINDS[prefix];
  if (!m || prefix === undefined || !kind) return undefined;
  const lines = [`${kind[0]?.toUpperCase()}${kind.slice(1)} ID (prefix ${code(prefix + '-')})`];
  if (!/^(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(m[2] ?? '')) {
    lines.push('Unusual ID: AWS IDs end in 8 or 17 lower-case hex digits.');
  }
  const wanted = spec.idPrefixes ?? [];
  if (wanted.length && !wanted.some((w) => raw.startsWith(w) && RESOURCE_KINDS[w.slice(0, -1)] === kind)) {
    lines.push(`This field normally holds ${wanted.map((w) => code(w + '…')).join(' or ')}.`);
  }
  return { short: kind, lines };
}

/** What a version introduced, from the field table: "14 fields: version, account-id, … and 10 more". */
function versionFields(version: number): string | undefined {
  const fields = fieldsOfVersion(version);
  if (fields.length === 0) return undefined;
  const names = fields.map((spec) => spec.name);
  const list = names.length <= 7 ? names.join(', ') : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
  const what = `${plural(fields.length, 'field')}: ${list}${fields.every((spec) => spec.secondary) ? ' (secondary source)' : ''}`;
  if (!fields.every((spec) => spec.family === 'tgw')) return what;
  return `the Transit Gateway field set (there are no version ${version} VPC fields), ${what}`;
}

export function decodeVersion(raw: string, ctx: DecodeContext): DecodedValue | undefined {
  const n = parseUint(raw);
  if (n === undefined) return undefined;
  const fields = versionFields(n);
  const { lowest } = versionRange();
  const tgw = transitGatewayVersion();
  const lines = [fields ? `Version ${n} introduced ${fields}.` : `No fields are known to come from version ${n}.`];
  lines.push(`The default VPC format writes ${lowest}; a custom format writes the highest version among its fields, though real data does not always follow this.`);
  if (ctx.tgw && n !== tgw) lines.push(`Transit Gateway records normally carry ${tgw}.`);
  return { short: n === lowest ? 'default format' : n === tgw ? 'Transit Gateway' : '', lines };
}

// `code=Name` pairs; the AZ-ID prefix (use1) is derived from the code.
const REGION_TABLE = `us-east-1=US East (N. Virginia);us-east-2=US East (Ohio);us-west-1=US West (N. California);\
us-west-2=US West (Oregon);af-south-1=Africa (Cape Town);ap-east-1=Asia Pacific (Hong Kong);ap-east-2=Asia Pacific (Taipei);\
ap-south-1=Asia Pacific (Mumbai);ap-south-2=Asia Pacific (Hyderabad);ap-southeast-1=Asia Pacific (Singapore);\
ap-southeast-2=Asia Pacific (Sydney);ap-southeast-3=Asia Pacific (Jakarta);ap-southeast-4=Asia Pacific (Melbourne);\
ap-southeast-5=Asia Pacific (Malaysia);ap-southeast-7=Asia Pacific (Thailand);ap-northeast-1=Asia Pacific (Tokyo);\
ap-northeast-2=Asia Pacific (Seoul);ap-northeast-3=Asia Pacific (Osaka);ca-central-1=Canada (Central);\
ca-west-1=Canada West (Calgary);eu-central-1=Europe (Frankfurt);eu-central-2=Europe (Zurich);eu-west-1=Europe (Ireland);\
eu-west-2=Europe (London);eu-west-3=Europe (Paris);eu-south-1=Europe (Milan);eu-south-2=Europe (Spain);\
eu-north-1=Europe (Stockholm);il-central-1=Israel (Tel Aviv);me-south-1=Middle East (Bahrain);me-central-1=Middle East (UAE);\
mx-central-1=Mexico (Central);sa-east-1=South America (São Paulo);us-gov-west-1=AWS GovCloud (US-West);\
us-gov-east-1=AWS GovCloud (US-East);cn-north-1=China (Beijing);cn-northwest-1=China (Ningxia)`;

const REGIONS = new Map(REGION_TABLE.split(';').map((pair) => pair.split('=') as [string, string]));

/** `us-east-1` → `use1`, `ap-northeast-1` → `apne1`, `us-gov-west-1` → `usgw1`. */
function azPrefix(region: string): string {
  const [area = '', ...rest] = region.split('-');
  const words: Readonly<Record<string, string>> = { gov: 'g', north: 'n', south: 's', east: 'e', west: 'w', central: 'c' };
  return area + rest.map((part) => part.replace(/gov|north|south|east|west|central/g, (w) => words[w] ?? w)).join('');
}

const REGION_BY_AZ_PREFIX = new Map([...REGIONS.keys()].map((r) => [azPrefix(r), r]));
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export function decodeRegion(raw: string): DecodedValue | undefined {
  if (raw.length > 40 || !REGION_RE.test(raw)) return undefined;
  const name = REGIONS.get(raw);
  const location = name?.replace(/^.*\((.*)\)$/, '$1');
  return { short: location ?? '', lines: [name ? `AWS Region ${code(raw)}: ${name}` : `AWS Region ${code(raw)} (not in this extension's list of Regions).`] };
}

export function decodeAzId(raw: string): DecodedValue | undefined {
  if (raw.length > 40) return undefined;
  const m = /^([a-z]{3,6}\d{1,2})-((?:[a-z0-9]+-)*)(?:az|wlz)\d{1,2}$/.exec(raw);
  if (!m) return undefined;
  const region = REGION_BY_AZ_PREFIX.get(m[1] ?? '');
  const lines = [region ? `Availability Zone ID in ${code(region)}, ${REGIONS.get(region)}` : `Availability Zone ID (prefix ${code(m[1] ?? '')})`];
  if (m[2]) lines.push('The extra location code marks a Local Zone or Wavelength Zone.');
  lines.push('AZ IDs name the same physical zone in every account, unlike AZ names such as `us-east-1a`.');
  return { short: region ?? '', lines };
}

const AWS_SERVICES = new Set(('AMAZON AMAZON_APPFLOW AMAZON_CONNECT API_GATEWAY CHIME_MEETINGS CHIME_VOICECONNECTOR CLOUD9 CLOUDFRONT ' +
  'CODEBUILD DYNAMODB EBS EC2 EC2_INSTANCE_CONNECT GLOBALACCELERATOR KINESIS_VIDEO_STREAMS ROUTE53 ROUTE53_HEALTHCHECKS ' +
  'ROUTE53_HEALTHCHECKS_PUBLISHING ROUTE53_RESOLVER S3 WORKSPACES_GATEWAYS').split(' '));

export function decodeAwsService(raw: string): DecodedValue | undefined {
  if (!/^[A-Z][A-Z0-9_]*$/.test(raw)) return undefined;
  const lines = [`The address is in an AWS IP range of service ${code(raw)} (ip-ranges.json).`];
  if (raw === 'AMAZON') lines.push('AMAZON is the catch-all set: it overlaps every other service, and only one service is shown per address.');
  if (!AWS_SERVICES.has(raw)) lines.push('Not in the documented list; ip-ranges.json adds services over time.');
  return { short: '', lines };
}

const PARTITIONS: Readonly<Record<string, string>> = { aws: 'AWS', 'aws-cn': 'AWS China', 'aws-us-gov': 'AWS GovCloud (US)' };

export function decodeArn(raw: string): DecodedValue | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(raw);
  if (!m) return undefined;
  const [, partition = '', service = '', region = '', account = '', resource = ''] = m;
  const type = /^([^/:]+)[/:]/.exec(resource)?.[1];
  const lines = [
    `Partition ${code(partition)}${PARTITIONS[partition] ? ` (${PARTITIONS[partition]})` : ''}, service ${code(service)}`,
    `Region ${region ? code(region) : '(none)'}, account ${account ? code(account) : '(none)'}`,
    `Resource ${code(resource)}`,
  ];
  return { short: clip(type ? `${service} ${type}` : service), lines };
}

export function decodeText(raw: string): DecodedValue | undefined {
  if (!/%[0-9A-Fa-f]{2}/.test(raw)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { short: '', lines: ['Looks percent-encoded, but is not valid UTF-8 percent-encoding.'] };
  }
  // Decoding can make line breaks and control characters: the hint shows them escaped.
  return { short: showable(clip(decoded)), lines: [`Percent-decoded: ${code(decoded)}`] };
}
