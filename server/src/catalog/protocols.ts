/**
 * IANA "Assigned Internet Protocol Numbers" (the IPv4 Protocol / IPv6 Next Header registry):
 * 0–146 assigned, 147–252 unassigned, 253–254 for experimentation and testing, 255 reserved.
 * The flow log `protocol` field carries these numbers.
 */

export interface ProtocolInfo {
  /**
   * IANA's keyword, e.g. `TCP`. Empty for the few rows where IANA gives no keyword
   * (61, 63, 68, 99, 114, 253, 254, 255); use `protocolLabel()` for display.
   */
  readonly keyword: string;
  readonly name: string;
  /** IANA marks the row as deprecated. */
  readonly deprecated?: boolean;
}

/**
 * One row per number 0–146, `KEYWORD|Name`; a leading `~` marks a deprecated row.
 * A string table keeps the 147 rows readable and cheap to load.
 */
const ROWS: readonly string[] = [
  'HOPOPT|IPv6 Hop-by-Hop Option', // 0
  'ICMP|Internet Control Message Protocol',
  'IGMP|Internet Group Management Protocol',
  'GGP|Gateway-to-Gateway Protocol',
  'IPv4|IPv4 encapsulation (IP in IP)',
  'ST|Internet Stream Protocol',
  'TCP|Transmission Control Protocol',
  'CBT|Core Based Trees',
  'EGP|Exterior Gateway Protocol',
  'IGP|Any private interior gateway (used by Cisco for IGRP)',
  'BBN-RCC-MON|BBN RCC Monitoring', // 10
  'NVP-II|Network Voice Protocol',
  'PUP|PARC Universal Packet',
  '~ARGUS|ARGUS',
  'EMCON|EMCON',
  'XNET|Cross Net Debugger',
  'CHAOS|Chaos',
  'UDP|User Datagram Protocol',
  'MUX|Multiplexing',
  'DCN-MEAS|DCN Measurement Subsystems',
  'HMP|Host Monitoring Protocol', // 20
  'PRM|Packet Radio Measurement',
  'XNS-IDP|XEROX NS IDP',
  'TRUNK-1|Trunk-1',
  'TRUNK-2|Trunk-2',
  'LEAF-1|Leaf-1',
  'LEAF-2|Leaf-2',
  'RDP|Reliable Data Protocol',
  'IRTP|Internet Reliable Transaction Protocol',
  'ISO-TP4|ISO Transport Protocol Class 4',
  'NETBLT|Bulk Data Transfer Protocol', // 30
  'MFE-NSP|MFE Network Services Protocol',
  'MERIT-INP|MERIT Internodal Protocol',
  'DCCP|Datagram Congestion Control Protocol',
  '3PC|Third Party Connect Protocol',
  'IDPR|Inter-Domain Policy Routing Protocol',
  'XTP|Xpress Transport Protocol',
  'DDP|Datagram Delivery Protocol',
  'IDPR-CMTP|IDPR Control Message Transport Protocol',
  'TP++|TP++ Transport Protocol',
  'IL|IL Transport Protocol', // 40
  'IPv6|IPv6 encapsulation',
  'SDRP|Source Demand Routing Protocol',
  'IPv6-Route|Routing Header for IPv6',
  'IPv6-Frag|Fragment Header for IPv6',
  'IDRP|Inter-Domain Routing Protocol',
  'RSVP|Resource Reservation Protocol',
  'GRE|Generic Routing Encapsulation',
  'DSR|Dynamic Source Routing Protocol',
  'BNA|BNA',
  'ESP|Encapsulating Security Payload (IPsec)', // 50
  'AH|Authentication Header (IPsec)',
  'I-NLSP|Integrated Net Layer Security (TUBA)',
  '~SWIPE|IP with Encryption',
  'NARP|NBMA Address Resolution Protocol',
  'Min-IPv4|Minimal IPv4 Encapsulation',
  'TLSP|Transport Layer Security Protocol (Kryptonet key management)',
  'SKIP|SKIP',
  'IPv6-ICMP|ICMP for IPv6',
  'IPv6-NoNxt|No Next Header for IPv6',
  'IPv6-Opts|Destination Options for IPv6', // 60
  '|Any host internal protocol',
  'CFTP|CFTP',
  '|Any local network',
  'SAT-EXPAK|SATNET and Backroom EXPAK',
  'KRYPTOLAN|Kryptolan',
  'RVD|MIT Remote Virtual Disk Protocol',
  'IPPC|Internet Pluribus Packet Core',
  '|Any distributed file system',
  'SAT-MON|SATNET Monitoring',
  'VISA|VISA Protocol', // 70
  'IPCV|Internet Packet Core Utility',
  'CPNX|Computer Protocol Network Executive',
  'CPHB|Computer Protocol Heart Beat',
  'WSN|Wang Span Network',
  'PVP|Packet Video Protocol',
  'BR-SAT-MON|Backroom SATNET Monitoring',
  'SUN-ND|SUN ND Protocol (temporary)',
  'WB-MON|Wideband Monitoring',
  'WB-EXPAK|Wideband EXPAK',
  'ISO-IP|ISO Internet Protocol', // 80
  'VMTP|Versatile Message Transaction Protocol',
  'SECURE-VMTP|Secure VMTP',
  'VINES|VINES',
  'TTP|TTP, also IPTM (Internet Protocol Traffic Manager)',
  'NSFNET-IGP|NSFNET-IGP',
  'DGP|Dissimilar Gateway Protocol',
  'TCF|TCF',
  'EIGRP|Enhanced Interior Gateway Routing Protocol',
  'OSPFIGP|Open Shortest Path First (OSPF)',
  'Sprite-RPC|Sprite RPC Protocol', // 90
  'LARP|Locus Address Resolution Protocol',
  'MTP|Multicast Transport Protocol',
  'AX.25|AX.25 Frames',
  'IPIP|IP-within-IP Encapsulation Protocol',
  '~MICP|Mobile Internetworking Control Protocol',
  'SCC-SP|Semaphore Communications Security Protocol',
  'ETHERIP|Ethernet-within-IP Encapsulation',
  'ENCAP|Encapsulation Header',
  '|Any private encryption scheme',
  'GMTP|GMTP', // 100
  'IFMP|Ipsilon Flow Management Protocol',
  'PNNI|PNNI over IP',
  'PIM|Protocol Independent Multicast',
  'ARIS|ARIS',
  'SCPS|SCPS',
  'QNX|QNX',
  'A/N|Active Networks',
  'IPComp|IP Payload Compression Protocol',
  'SNP|Sitara Networks Protocol',
  'Compaq-Peer|Compaq Peer Protocol', // 110
  'IPX-in-IP|IPX in IP',
  'VRRP|Virtual Router Redundancy Protocol',
  'PGM|PGM Reliable Transport Protocol',
  '|Any 0-hop protocol',
  'L2TP|Layer Two Tunneling Protocol v3',
  'DDX|D-II Data Exchange',
  'IATP|Interactive Agent Transfer Protocol',
  'STP|Schedule Transfer Protocol',
  'SRP|SpectraLink Radio Protocol',
  'UTI|UTI', // 120
  'SMP|Simple Message Protocol',
  '~SM|Simple Multicast Protocol',
  'PTP|Performance Transparency Protocol',
  'ISIS over IPv4|IS-IS over IPv4',
  'FIRE|FIRE',
  'CRTP|Combat Radio Transport Protocol',
  'CRUDP|Combat Radio User Datagram',
  'SSCOPMCE|SSCOPMCE',
  'IPLT|IPLT',
  'SPS|Secure Packet Shield', // 130
  'PIPE|Private IP Encapsulation within IP',
  'SCTP|Stream Control Transmission Protocol',
  'FC|Fibre Channel',
  'RSVP-E2E-IGNORE|RSVP end-to-end ignore',
  'Mobility Header|Mobility Header (Mobile IPv6)',
  'UDPLite|Lightweight User Datagram Protocol',
  'MPLS-in-IP|MPLS in IP',
  'manet|MANET Protocols',
  'HIP|Host Identity Protocol',
  'Shim6|Shim6 Protocol', // 140
  'WESP|Wrapped Encapsulating Security Payload',
  'ROHC|Robust Header Compression',
  'Ethernet|Ethernet',
  'AGGFRAG|AGGFRAG encapsulation payload for ESP',
  'NSH|Network Service Header',
  'Homa|Homa', // 146
];

/** Highest number with a regular assignment; 147–252 are unassigned. */
export const LAST_ASSIGNED_PROTOCOL = ROWS.length - 1;

function parseRow(row: string): ProtocolInfo {
  const deprecated = row.startsWith('~');
  const [keyword = '', name = ''] = (deprecated ? row.slice(1) : row).split('|');
  return deprecated ? { keyword, name, deprecated } : { keyword, name };
}

const TABLE: readonly ProtocolInfo[] = ROWS.map(parseRow);

const SPECIAL = new Map<number, ProtocolInfo>([
  [253, { keyword: '', name: 'Use for experimentation and testing (RFC 3692)' }],
  [254, { keyword: '', name: 'Use for experimentation and testing (RFC 3692)' }],
  [255, { keyword: '', name: 'Reserved' }],
]);

/** The registry row of a protocol number; undefined for unassigned numbers and non-numbers. */
export function protocolInfo(n: number): ProtocolInfo | undefined {
  if (!Number.isInteger(n) || n < 0) return undefined;
  return TABLE[n] ?? SPECIAL.get(n);
}

/** Keyword for display, falling back to `proto N` where IANA gives no keyword. */
export function protocolLabel(n: number): string {
  const info = protocolInfo(n);
  return info?.keyword ? info.keyword : `proto ${n}`;
}

const BY_KEYWORD = new Map<string, number>();
TABLE.forEach((info, n) => {
  if (info.keyword) BY_KEYWORD.set(info.keyword.toLowerCase(), n);
});

/** The protocol that tcp-flags and TCP port names belong to. */
export const TCP = 6;

/** Number for a keyword, case-insensitive (`tcp` → 6, `ipv6-icmp` → 58). */
export function protocolNumber(keyword: string): number | undefined {
  return BY_KEYWORD.get(keyword.toLowerCase());
}

/** Every assigned number with its row, in numeric order (for completion lists). */
export function allProtocols(): { number: number; info: ProtocolInfo }[] {
  const list = TABLE.map((info, number) => ({ number, info }));
  for (const [number, info] of SPECIAL) list.push({ number, info });
  return list;
}
