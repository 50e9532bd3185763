/**
 * Service names for ports commonly seen in AWS flow logs: IANA well-known and registered ports,
 * plus de-facto defaults of popular software (marked "default port of …"), and AWS services that
 * listen on a fixed port (Redshift, MSK, GWLB GENEVE, Traffic Mirroring VXLAN).
 */

type Transport = 'tcp' | 'udp' | 'both';

export interface PortService {
  readonly port: number;
  readonly transport: Transport;
  /** Short name for an inlay hint, e.g. `SSH`. */
  readonly name: string;
  /** One line for a hover. */
  readonly description: string;
}

// [port, transport, name, description]
type Row = readonly [number, Transport, string, string];

const ROWS: readonly Row[] = [
  [7, 'both', 'Echo', 'Echo protocol'],
  [20, 'tcp', 'FTP data', 'FTP data transfer (active mode)'],
  [21, 'tcp', 'FTP', 'FTP control'],
  [22, 'tcp', 'SSH', 'Secure Shell (also SFTP, SCP)'],
  [23, 'tcp', 'Telnet', 'Telnet (unencrypted remote login)'],
  [25, 'tcp', 'SMTP', 'SMTP mail transfer'],
  [43, 'tcp', 'WHOIS', 'WHOIS'],
  [53, 'both', 'DNS', 'Domain Name System'],
  [67, 'udp', 'DHCP server', 'DHCP/BOOTP server'],
  [68, 'udp', 'DHCP client', 'DHCP/BOOTP client'],
  [69, 'udp', 'TFTP', 'Trivial File Transfer Protocol'],
  [80, 'tcp', 'HTTP', 'HTTP'],
  [88, 'both', 'Kerberos', 'Kerberos authentication'],
  [110, 'tcp', 'POP3', 'Post Office Protocol 3'],
  [111, 'both', 'rpcbind', 'ONC RPC portmapper (rpcbind), used by NFSv3'],
  [119, 'tcp', 'NNTP', 'Network News Transfer Protocol'],
  [123, 'udp', 'NTP', 'Network Time Protocol'],
  [135, 'tcp', 'MS RPC', 'Microsoft RPC endpoint mapper (DCE/RPC)'],
  [137, 'udp', 'NetBIOS-NS', 'NetBIOS name service'],
  [138, 'udp', 'NetBIOS-DGM', 'NetBIOS datagram service'],
  [139, 'tcp', 'NetBIOS-SSN', 'NetBIOS session service (SMB over NetBIOS)'],
  [143, 'tcp', 'IMAP', 'Internet Message Access Protocol'],
  [161, 'udp', 'SNMP', 'Simple Network Management Protocol'],
  [162, 'udp', 'SNMP trap', 'SNMP traps'],
  [179, 'tcp', 'BGP', 'Border Gateway Protocol (e.g. Direct Connect, VPN, TGW Connect peers)'],
  [389, 'both', 'LDAP', 'Lightweight Directory Access Protocol'],
  [443, 'tcp', 'HTTPS', 'HTTP over TLS'],
  [443, 'udp', 'QUIC', 'QUIC / HTTP/3'],
  [445, 'tcp', 'SMB', 'SMB / CIFS file sharing (Microsoft-DS)'],
  [464, 'both', 'kpasswd', 'Kerberos password change'],
  [465, 'tcp', 'SMTPS', 'SMTP over implicit TLS'],
  [500, 'udp', 'ISAKMP', 'IPsec IKE / ISAKMP (Site-to-Site VPN)'],
  [514, 'udp', 'syslog', 'Syslog'],
  [514, 'tcp', 'rsh', 'Remote shell (rsh)'],
  [520, 'udp', 'RIP', 'Routing Information Protocol'],
  [546, 'udp', 'DHCPv6 client', 'DHCPv6 client'],
  [547, 'udp', 'DHCPv6 server', 'DHCPv6 server'],
  [554, 'tcp', 'RTSP', 'Real Time Streaming Protocol'],
  [587, 'tcp', 'Submission', 'Mail submission (SMTP with STARTTLS)'],
  [623, 'udp', 'IPMI', 'IPMI remote management (RMCP)'],
  [631, 'tcp', 'IPP', 'Internet Printing Protocol'],
  [636, 'tcp', 'LDAPS', 'LDAP over TLS'],
  [853, 'tcp', 'DNS over TLS', 'DNS over TLS'],
  [853, 'udp', 'DNS over QUIC', 'DNS over QUIC'],
  [873, 'tcp', 'rsync', 'rsync daemon'],
  [988, 'tcp', 'Lustre', 'Lustre (Amazon FSx for Lustre)'],
  [989, 'tcp', 'FTPS data', 'FTP data over TLS'],
  [990, 'tcp', 'FTPS', 'FTP control over TLS'],
  [993, 'tcp', 'IMAPS', 'IMAP over TLS'],
  [995, 'tcp', 'POP3S', 'POP3 over TLS'],
  [1080, 'tcp', 'SOCKS', 'SOCKS proxy'],
  [1194, 'both', 'OpenVPN', 'OpenVPN (also AWS Client VPN)'],
  [1433, 'tcp', 'MS SQL', 'Microsoft SQL Server'],
  [1434, 'udp', 'MS SQL browser', 'Microsoft SQL Server browser'],
  [1521, 'tcp', 'Oracle', 'Oracle database listener'],
  [1701, 'udp', 'L2TP', 'Layer 2 Tunneling Protocol'],
  [1723, 'tcp', 'PPTP', 'Point-to-Point Tunneling Protocol'],
  [1812, 'udp', 'RADIUS', 'RADIUS authentication'],
  [1813, 'udp', 'RADIUS acct', 'RADIUS accounting'],
  [1883, 'tcp', 'MQTT', 'MQTT'],
  [2049, 'both', 'NFS', 'Network File System (also Amazon EFS)'],
  [2181, 'tcp', 'ZooKeeper', 'default port of Apache ZooKeeper'],
  [2375, 'tcp', 'Docker', 'Docker daemon API (unencrypted)'],
  [2376, 'tcp', 'Docker TLS', 'Docker daemon API over TLS'],
  [2377, 'tcp', 'Docker Swarm', 'Docker Swarm cluster management'],
  [2379, 'tcp', 'etcd client', 'etcd client API'],
  [2380, 'tcp', 'etcd peer', 'etcd peer communication'],
  [3128, 'tcp', 'Squid', 'default port of the Squid HTTP proxy'],
  [3260, 'tcp', 'iSCSI', 'iSCSI target (e.g. Storage Gateway volumes)'],
  [3268, 'tcp', 'AD GC', 'Active Directory global catalog (LDAP)'],
  [3269, 'tcp', 'AD GC TLS', 'Active Directory global catalog over TLS'],
  [3306, 'tcp', 'MySQL', 'MySQL / MariaDB / Aurora MySQL'],
  [3389, 'both', 'RDP', 'Remote Desktop Protocol'],
  [3478, 'both', 'STUN/TURN', 'STUN / TURN (NAT traversal)'],
  [4222, 'tcp', 'NATS', 'default port of NATS'],
  [4369, 'tcp', 'EPMD', 'Erlang port mapper (RabbitMQ clustering)'],
  [4500, 'udp', 'IPsec NAT-T', 'IPsec NAT traversal (IKE and ESP in UDP)'],
  [4789, 'udp', 'VXLAN', 'VXLAN (also VPC Traffic Mirroring)'],
  [5044, 'tcp', 'Beats', 'default port of the Logstash Beats input'],
  [5060, 'both', 'SIP', 'Session Initiation Protocol'],
  [5061, 'tcp', 'SIP TLS', 'SIP over TLS'],
  [5353, 'udp', 'mDNS', 'Multicast DNS'],
  [5355, 'udp', 'LLMNR', 'Link-Local Multicast Name Resolution'],
  [5432, 'tcp', 'PostgreSQL', 'PostgreSQL / Aurora PostgreSQL'],
  [5439, 'tcp', 'Redshift', 'Amazon Redshift'],
  [5601, 'tcp', 'Kibana', 'default port of Kibana / OpenSearch Dashboards'],
  [5671, 'tcp', 'AMQPS', 'AMQP over TLS (e.g. Amazon MQ for RabbitMQ)'],
  [5672, 'tcp', 'AMQP', 'Advanced Message Queuing Protocol'],
  [5900, 'tcp', 'VNC', 'Virtual Network Computing (RFB)'],
  [5985, 'tcp', 'WinRM', 'Windows Remote Management over HTTP'],
  [5986, 'tcp', 'WinRM TLS', 'Windows Remote Management over HTTPS'],
  [6081, 'udp', 'GENEVE', 'GENEVE encapsulation (Gateway Load Balancer)'],
  [6379, 'tcp', 'Redis', 'Redis / Valkey (also ElastiCache)'],
  [6443, 'tcp', 'Kubernetes API', 'Kubernetes API server'],
  [6514, 'tcp', 'syslog TLS', 'Syslog over TLS'],
  [8080, 'tcp', 'HTTP alt', 'alternative HTTP port (proxies, app servers)'],
  [8086, 'tcp', 'InfluxDB', 'default port of InfluxDB'],
  [8125, 'udp', 'StatsD', 'default port of StatsD'],
  [8182, 'tcp', 'Neptune', 'Amazon Neptune / Gremlin server'],
  [8200, 'tcp', 'Vault', 'default port of HashiCorp Vault'],
  [8443, 'tcp', 'HTTPS alt', 'alternative HTTPS port'],
  [8472, 'udp', 'Flannel VXLAN', 'Linux VXLAN default port (Flannel overlay)'],
  [8500, 'tcp', 'Consul', 'default port of the HashiCorp Consul HTTP API'],
  [8883, 'tcp', 'MQTT TLS', 'MQTT over TLS (e.g. AWS IoT Core)'],
  [9042, 'tcp', 'Cassandra', 'Cassandra CQL (also Amazon Keyspaces)'],
  [9090, 'tcp', 'Prometheus', 'default port of Prometheus'],
  [9092, 'tcp', 'Kafka', 'Apache Kafka (Amazon MSK plaintext)'],
  [9094, 'tcp', 'Kafka TLS', 'Amazon MSK broker over TLS'],
  [9096, 'tcp', 'Kafka SASL', 'Amazon MSK broker with SASL/SCRAM'],
  [9098, 'tcp', 'Kafka IAM', 'Amazon MSK broker with IAM access control'],
  [9200, 'tcp', 'Elasticsearch', 'Elasticsearch / OpenSearch REST API'],
  [9300, 'tcp', 'ES transport', 'Elasticsearch / OpenSearch node transport'],
  [9418, 'tcp', 'Git', 'Git protocol'],
  [10250, 'tcp', 'kubelet', 'Kubernetes kubelet API'],
  [10256, 'tcp', 'kube-proxy', 'Kubernetes kube-proxy health check'],
  [11211, 'both', 'Memcached', 'Memcached (also ElastiCache)'],
  [15672, 'tcp', 'RabbitMQ UI', 'RabbitMQ management UI and API'],
  [27017, 'tcp', 'MongoDB', 'MongoDB (also Amazon DocumentDB)'],
];

const BY_PORT = new Map<number, PortService[]>();
for (const [port, transport, name, description] of ROWS) {
  const list = BY_PORT.get(port) ?? [];
  list.push({ port, transport, name, description });
  BY_PORT.set(port, list);
}

const BY_NAME = new Map<string, number[]>();
for (const [port, , name] of ROWS) {
  const key = name.toLowerCase();
  const ports = BY_NAME.get(key) ?? [];
  if (!ports.includes(port)) ports.push(port);
  BY_NAME.set(key, ports);
}

/** Ports whose service has this name, case-insensitive (`ssh` → [22]); empty when none. */
export function portsNamed(name: string): readonly number[] {
  return BY_NAME.get(name.toLowerCase()) ?? [];
}

/** Every service name with its ports (for completion). */
export function portNames(): { name: string; ports: readonly number[] }[] {
  const seen = new Map<string, { name: string; ports: number[] }>();
  for (const [port, , name] of ROWS) {
    const entry = seen.get(name) ?? { name, ports: [] };
    if (!entry.ports.includes(port)) entry.ports.push(port);
    seen.set(name, entry);
  }
  return [...seen.values()];
}

const TCP = 6;
const UDP = 17;
const UDPLITE = 136;
/** Protocols whose headers carry ports; any other protocol logs port 0. */
const PORTED = new Set([TCP, UDP, 33 /* DCCP */, 132 /* SCTP */, UDPLITE]);

/**
 * The services on a port for a protocol number. Without a protocol, every transport matches;
 * TCP and UDP(-Lite) match their own rows; DCCP and SCTP match any row (they reuse the names);
 * protocols without ports match nothing.
 */
export function portServices(port: number, protocol?: number): PortService[] {
  const list = BY_PORT.get(port);
  if (!list) return [];
  if (protocol === undefined) return list;
  if (!PORTED.has(protocol)) return [];
  const want = protocol === TCP ? 'tcp' : protocol === UDP || protocol === UDPLITE ? 'udp' : undefined;
  return want ? list.filter((s) => s.transport === want || s.transport === 'both') : list;
}

/** Short service name for a port (`SSH`, `DNS`), or undefined when none is known. */
export function portService(port: number, protocol?: number): string | undefined {
  const names = [...new Set(portServices(port, protocol).map((s) => s.name))];
  return names.length ? names.join(' / ') : undefined;
}

/** True when flows of this protocol carry ports at all. */
export function protocolHasPorts(protocol: number): boolean {
  return PORTED.has(protocol);
}

export interface EphemeralInfo {
  /** Inside Linux's default ip_local_port_range, 32768–60999. */
  readonly linux: boolean;
  /** Inside IANA's dynamic/private range 49152–65535 (also Windows' default). */
  readonly iana: boolean;
  /** Human text naming the range(s). */
  readonly label: string;
}

export const LINUX_EPHEMERAL = { from: 32768, to: 60999 } as const;
export const IANA_EPHEMERAL = { from: 49152, to: 65535 } as const;

/** Whether a port is in a common ephemeral (client-side) range, and which; undefined when in neither. */
export function isEphemeralPort(port: number): EphemeralInfo | undefined {
  if (!Number.isInteger(port)) return undefined;
  const linux = port >= LINUX_EPHEMERAL.from && port <= LINUX_EPHEMERAL.to;
  const iana = port >= IANA_EPHEMERAL.from && port <= IANA_EPHEMERAL.to;
  if (!linux && !iana) return undefined;
  const parts: string[] = [];
  if (linux) parts.push('Linux 32768–60999');
  if (iana) parts.push('IANA/Windows 49152–65535');
  return { linux, iana, label: `ephemeral range (${parts.join('; ')})` };
}

/** IANA's name for the range a port falls in. */
export function portRange(port: number): 'system' | 'registered' | 'dynamic' | undefined {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return port < 1024 ? 'system' : port < 49152 ? 'registered' : 'dynamic';
}
