/**
 * Seeded generator of realistic flow log files for benchmarks and tests: VPC default v2
 * (CloudWatch style, no header), VPC v5 with all 29 fields under an S3 header line, and the
 * 36-field Transit Gateway default with its header. The same options always give the same
 * bytes, so figures from different runs and machines describe the same input.
 *
 *   node --import tsx bench/generate.ts --kind v2 --size 1g --out bench/data/x.log [--gzip]
 *     [--seed 1] [--malformed 0.001]
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { DEFAULT_V2, layoutById, TGW_DEFAULT } from '../server/src/catalog/layouts';

export type Kind = 'v2' | 'v5' | 'tgw';
export const KINDS: readonly Kind[] = ['v2', 'v5', 'tgw'];

export interface GenerateOptions {
  kind: Kind;
  /** Size to reach; the output stops at the first line end at or past it. */
  bytes: number;
  seed: number;
  /** Share of record lines (0–1) that are damaged on purpose. */
  malformedRate: number;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Field order per kind: the catalog's layouts, so generated files match what flowlog expects. */
export const FIELD_NAMES: Record<Kind, readonly string[]> = {
  v2: DEFAULT_V2,
  v5: layoutById('all-v5')?.fields ?? [],
  tgw: TGW_DEFAULT,
};

/** The S3 header line of each kind; CloudWatch-style v2 files have none. */
export const HEADERS: Record<Kind, string | undefined> = {
  v2: undefined,
  v5: FIELD_NAMES.v5.join(' '),
  tgw: FIELD_NAMES.tgw.join(' '),
};

/** Ways a line is damaged; each makes flowlog report at least one problem on that line. */
export const MALFORMATIONS = ['missing-field', 'two-records', 'double-space', 'bad-address', 'ok-typo'] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

const REGIONS = [
  { region: 'us-east-1', az: 'use1' },
  { region: 'eu-west-1', az: 'euw1' },
  { region: 'ap-southeast-2', az: 'apse2' },
];
const TCP_SERVICES = [443, 443, 443, 80, 22, 3389, 5432, 3306, 6379, 8080, 9200, 25];
const UDP_SERVICES = [53, 53, 53, 123, 500, 4500, 514, 1194];
/** tcp-flags as AWS reports them: 0 (only ACKs), 1 FIN, 2 SYN, 3 SYN+FIN, 18 SYN-ACK, 19 SYN-ACK+FIN. */
const TCP_FLAGS = [19, 19, 19, 19, 19, 3, 3, 3, 3, 18, 18, 18, 2, 2, 2, 0, 0, 0, 1, 1];
const AWS_SERVICES = ['AMAZON', 'AMAZON', 'S3', 'EC2', 'DYNAMODB', 'CLOUDFRONT', 'ROUTE53'];
/** traffic-path codes for egress: mostly same VPC (1), internet gateway (2), gateway endpoint (7). */
const TRAFFIC_PATHS = ['1', '1', '1', '2', '2', '3', '4', '5', '7', '8'];

interface Interface {
  eni: string;
  vpc: string;
  subnet: string;
  /** '-' for interfaces that are not an instance's (NAT gateway, load balancer). */
  instance: string;
  az: string;
  ipv4: string;
  ipv6: string;
}

interface Attachment {
  id: string;
  account: string;
  vpc: string;
  subnet: string;
  eni: string;
  az: string;
}

/** One flow before it is written in a format. */
interface Flow {
  status: 'OK' | 'NODATA' | 'SKIPDATA';
  local: Interface;
  ingress: boolean;
  srcaddr: string;
  dstaddr: string;
  pktSrcaddr: string;
  pktDstaddr: string;
  srcport: number;
  dstport: number;
  protocol: number;
  packets: number;
  bytes: number;
  start: number;
  end: number;
  accept: boolean;
  tcpFlags: number;
  ipv6: boolean;
  srcService: string;
  dstService: string;
}

export class FlowLogGenerator {
  readonly header: string | undefined;
  /** Lines damaged so far, by kind of damage. */
  readonly damaged: Record<Malformation, number> = { 'missing-field': 0, 'two-records': 0, 'double-space': 0, 'bad-address': 0, 'ok-typo': 0 };
  /** Zero-based line numbers of damaged lines (kept only when asked, for tests). */
  readonly damagedLines: number[] = [];
  private readonly random: () => number;
  private readonly accounts: string[];
  private readonly region: { region: string; az: string };
  private readonly interfaces: Interface[];
  private readonly attachments: Attachment[];
  private readonly tgw: string;
  private clock: number;
  private linesOut = 0;

  constructor(private readonly options: GenerateOptions, private readonly keepDamagedLines = false) {
    this.random = mulberry32(options.seed);
    this.header = HEADERS[options.kind];
    this.region = this.pick(REGIONS);
    this.accounts = Array.from({ length: 3 }, () => this.digits(12));
    const vpcs = Array.from({ length: 4 }, () => ({ vpc: this.id('vpc-'), subnets: Array.from({ length: 4 }, () => this.id('subnet-')) }));
    this.interfaces = Array.from({ length: 96 }, () => {
      const vpc = this.pick(vpcs);
      const subnetIndex = this.int(0, vpc.subnets.length - 1);
      return {
        eni: this.id('eni-'),
        vpc: vpc.vpc,
        subnet: vpc.subnets[subnetIndex],
        instance: this.random() < 0.8 ? this.id('i-') : '-',
        az: `${this.region.az}-az${subnetIndex + 1}`,
        ipv4: this.privateIPv4(),
        ipv6: `2600:1f18:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}`,
      };
    });
    this.tgw = this.id('tgw-');
    this.attachments = Array.from({ length: 8 }, () => ({
      id: this.id('tgw-attach-'),
      account: this.pick(this.accounts),
      vpc: this.id('vpc-'),
      subnet: this.id('subnet-'),
      eni: this.id('eni-'),
      az: `${this.region.az}-az${this.int(1, 6)}`,
    }));
    // Somewhere in 2023–2024, whole minutes.
    this.clock = 1_672_531_200 + this.int(0, 500_000) * 60;
  }

  /** The next line (without its line break): the header first, then records. */
  nextLine(): string {
    const lineNumber = this.linesOut++;
    if (lineNumber === 0 && this.header) return this.header;
    if (this.options.malformedRate > 0 && this.random() < this.options.malformedRate) {
      if (this.keepDamagedLines) this.damagedLines.push(lineNumber);
      return this.damage(this.pick(MALFORMATIONS));
    }
    return this.record(this.flow(false)).join(' ');
  }

  private damage(how: Malformation): string {
    this.damaged[how]++;
    const fields = this.record(this.flow(true));
    switch (how) {
      case 'missing-field':
        fields.splice(this.int(1, fields.length - 1), 1);
        return fields.join(' ');
      case 'two-records':
        return `${fields.join(' ')} ${this.record(this.flow(true)).join(' ')}`;
      case 'double-space': {
        const gap = this.int(1, fields.length - 1);
        return `${fields.slice(0, gap).join(' ')}  ${fields.slice(gap).join(' ')}`;
      }
      case 'bad-address': {
        const column = this.column('srcaddr');
        fields[column] = this.pick([`10.${this.int(0, 255)}.${this.int(256, 999)}.${this.int(0, 255)}`, `10.${this.int(0, 255)}.${this.int(0, 255)}`, `172.31.${this.int(0, 255)}.${this.int(0, 255)}.7`]);
        return fields.join(' ');
      }
      case 'ok-typo':
        fields[this.column('log-status')] = '0K';
        return fields.join(' ');
    }
  }

  private column(name: 'srcaddr' | 'log-status'): number {
    return FIELD_NAMES[this.options.kind].indexOf(name);
  }

  private flow(forceOk: boolean): Flow {
    const r = this.random;
    // Time moves on by a minute every few hundred records, as in a busy log.
    if (r() < 0.004) this.clock += 60;
    const status = forceOk ? 'OK' : this.weighted(r(), 0.97, 0.99);
    const local = this.pick(this.interfaces);
    const ingress = r() < 0.5;
    const protocolDraw = r();
    const protocol = protocolDraw < 0.78 ? 6 : protocolDraw < 0.96 ? 17 : 1;
    const ipv6 = protocol !== 1 && r() < 0.06;
    const remote = ipv6 ? this.remoteIPv6() : r() < 0.4 ? this.privateIPv4() : this.publicIPv4();
    const service = protocol === 6 ? this.pick(TCP_SERVICES) : protocol === 17 ? this.pick(UDP_SERVICES) : 0;
    const ephemeral = protocol === 1 ? 0 : this.int(32768, 65535);
    // Half the records are the client side of a connection, half the server side.
    const towardsService = r() < 0.5;
    const localAddr = ipv6 ? local.ipv6 : local.ipv4;
    const srcaddr = ingress ? remote : localAddr;
    const dstaddr = ingress ? localAddr : remote;
    const accept = r() < 0.85;
    const packets = accept ? 1 + Math.floor(Math.exp(r() * 8)) : this.int(1, 3);
    const packetSize = accept ? this.int(40, 1500) : this.int(40, 60);
    const start = this.clock - this.int(0, 5);
    const end = r() < 0.7 ? start + 60 : start + this.int(1, 59);
    // NAT gateway interfaces see the original addresses as pkt-srcaddr/pkt-dstaddr.
    const translated = local.instance === '-' && !ipv6 && r() < 0.5;
    const remoteIsPublic = !ipv6 && !remote.startsWith('10.') && !remote.startsWith('172.') && !remote.startsWith('192.168.');
    return {
      status,
      local,
      ingress,
      srcaddr,
      dstaddr,
      pktSrcaddr: translated && ingress ? this.privateIPv4() : srcaddr,
      pktDstaddr: translated && !ingress ? this.privateIPv4() : dstaddr,
      srcport: towardsService === ingress ? ephemeral : service,
      dstport: towardsService === ingress ? service : ephemeral,
      protocol,
      packets,
      bytes: packets * packetSize,
      start,
      end,
      accept,
      tcpFlags: protocol !== 6 ? 0 : accept ? this.pick(TCP_FLAGS) : 2,
      ipv6,
      srcService: ingress && remoteIsPublic && r() < 0.3 ? this.pick(AWS_SERVICES) : '-',
      dstService: !ingress && remoteIsPublic && r() < 0.3 ? this.pick(AWS_SERVICES) : '-',
    };
  }

  /** The flow's fields in the order of the kind's format. */
  private record(flow: Flow): string[] {
    const ok = flow.status === 'OK';
    const traffic = (value: string | number): string => (ok ? String(value) : '-');
    const { local } = flow;
    switch (this.options.kind) {
      case 'v2':
        return [
          '2', this.accounts[0], local.eni, traffic(flow.srcaddr), traffic(flow.dstaddr), traffic(flow.srcport), traffic(flow.dstport),
          traffic(flow.protocol), traffic(flow.packets), traffic(flow.bytes), String(flow.start), String(flow.end),
          traffic(flow.accept ? 'ACCEPT' : 'REJECT'), flow.status,
        ];
      case 'v5':
        return [
          '5', this.accounts[0], local.eni, traffic(flow.srcaddr), traffic(flow.dstaddr), traffic(flow.srcport), traffic(flow.dstport),
          traffic(flow.protocol), traffic(flow.packets), traffic(flow.bytes), String(flow.start), String(flow.end),
          traffic(flow.accept ? 'ACCEPT' : 'REJECT'), flow.status, local.vpc, local.subnet, local.instance, traffic(flow.tcpFlags),
          traffic(flow.ipv6 ? 'IPv6' : 'IPv4'), traffic(flow.pktSrcaddr), traffic(flow.pktDstaddr), this.region.region, local.az, '-', '-',
          traffic(flow.srcService), traffic(flow.dstService), traffic(flow.ingress ? 'ingress' : 'egress'),
          ok && !flow.ingress ? this.pick(TRAFFIC_PATHS) : '-',
        ];
      case 'tgw': {
        const from = this.pick(this.attachments);
        const to = this.pick(this.attachments);
        const lost = ok && this.random() < 0.02 ? this.int(1, flow.packets) : 0;
        return [
          '6', this.random() < 0.9 ? 'TransitGatewayAttachment' : 'TransitGateway', this.accounts[0], this.tgw,
          flow.ingress ? from.id : to.id, from.account, to.account, from.vpc, to.vpc, from.subnet, to.subnet, from.eni, to.eni,
          from.az, to.az, flow.ingress ? to.id : from.id, traffic(flow.srcaddr), traffic(flow.dstaddr), traffic(flow.srcport),
          traffic(flow.dstport), traffic(flow.protocol), traffic(flow.packets), traffic(flow.bytes), String(flow.start),
          String(flow.end), flow.status, traffic(flow.ipv6 ? 'IPv6' : 'IPv4'), traffic(lost), traffic(0), traffic(0), traffic(0),
          traffic(flow.tcpFlags), this.region.region, traffic(flow.ingress ? 'ingress' : 'egress'), traffic(flow.srcService),
          traffic(flow.dstService),
        ];
      }
    }
  }

  private weighted(draw: number, okBelow: number, nodataBelow: number): Flow['status'] {
    return draw < okBelow ? 'OK' : draw < nodataBelow ? 'NODATA' : 'SKIPDATA';
  }

  private int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  private hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(this.random() * 16)];
    return out;
  }

  private digits(length: number): string {
    let out = String(this.int(1, 9));
    for (let i = 1; i < length; i++) out += String(this.int(0, 9));
    return out;
  }

  /** AWS ids: a prefix and 17 hex digits, the first a 0 as in current ids. */
  private id(prefix: string): string {
    return `${prefix}0${this.hex(16)}`;
  }

  private privateIPv4(): string {
    const draw = this.random();
    if (draw < 0.7) return `10.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
    if (draw < 0.9) return `172.${this.int(16, 31)}.${this.int(0, 255)}.${this.int(1, 254)}`;
    return `192.168.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  private publicIPv4(): string {
    // First octets outside private, loopback, CGNAT, link-local and multicast space.
    const first = this.pick([3, 13, 18, 34, 35, 44, 52, 54, 52, 91, 104, 142, 151, 185, 198, 203]);
    return `${first}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  private remoteIPv6(): string {
    return this.random() < 0.5 ? `2a05:d018:${this.hex(4)}:${this.hex(4)}::${this.hex(3)}` : `2600:1f18:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}:${this.hex(4)}`;
  }
}

/** A whole file in memory; each line ends with `\n`. */
export function generate(options: GenerateOptions): string {
  const generator = new FlowLogGenerator(options);
  const lines: string[] = [];
  let size = 0;
  while (size < options.bytes) {
    const line = generator.nextLine();
    lines.push(line);
    size += line.length + 1;
  }
  // Joined with a final empty line, so the text ends with a break and is one flat string (a
  // concatenation would leave a cons string, which is slower to read than what an editor sends).
  if (lines.length > 0) lines.push('');
  return lines.join('\n');
}

/** Streams the same content as `generate` to a file, gzip-compressed when asked. */
export async function writeFile(path: string, options: GenerateOptions & { gzip?: boolean }): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path);
  const gzip = options.gzip ? createGzip({ level: 6 }) : undefined;
  if (gzip) gzip.pipe(file);
  const sink = gzip ?? file;
  const done = new Promise<void>((resolve, reject) => {
    file.on('finish', resolve);
    file.on('error', reject);
    gzip?.on('error', reject);
  });
  const generator = new FlowLogGenerator(options);
  let size = 0;
  let chunk: string[] = [];
  let chunkSize = 0;
  while (size < options.bytes) {
    const line = generator.nextLine();
    chunk.push(line);
    chunkSize += line.length + 1;
    size += line.length + 1;
    if (chunkSize >= 1 << 20 || size >= options.bytes) {
      const ready = sink.write(chunk.join('\n') + '\n');
      chunk = [];
      chunkSize = 0;
      if (!ready) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
    }
  }
  sink.end();
  await done;
}

/** `1g`, `50m`, `512k`, `1000` → bytes (binary units). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: '${text}' (try 50m or 1g)`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * scale);
}

async function main(argv: string[]): Promise<void> {
  const options: GenerateOptions & { gzip: boolean } = { kind: 'v2', bytes: parseSize('10m'), seed: 1, malformedRate: 0, gzip: false };
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    switch (argv[i]) {
      case '--kind': {
        const kind = value();
        if (!KINDS.includes(kind as Kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
        options.kind = kind as Kind;
        break;
      }
      case '--size': options.bytes = parseSize(value()); break;
      case '--seed': options.seed = Number(value()); break;
      case '--malformed': options.malformedRate = Number(value()); break;
      case '--out': out = value(); break;
      case '--gzip': options.gzip = true; break;
      case '--help':
        process.stdout.write('usage: generate.ts --kind v2|v5|tgw --size 1g --out FILE [--gzip] [--seed N] [--malformed RATE]\n');
        return;
      default: throw new Error(`unknown option '${argv[i]}'`);
    }
  }
  if (!out) throw new Error('--out FILE is required');
  if (options.gzip && !out.endsWith('.gz')) out += '.gz';
  await writeFile(out, options);
  process.stdout.write(`${out}\n`);
}

// Run as a command only when this file itself is the entry (not when bundled into a benchmark).
if (/generate\.[cm]?[jt]s$/.test(process.argv[1] ?? '') && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
