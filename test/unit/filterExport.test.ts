/**
 * Exports: the translation of every filter operator to DuckDB, Athena (Trino) and Logs Insights,
 * the Athena DDL against the columns and types of AWS's documented table, and the Insights
 * query against the fields Logs Insights discovers for the default format.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFieldList } from '../../server/src/service/fieldList';
import { RecordFilter } from '../../server/src/service/filter';
import { translateFilter, type Dialect } from '../../server/src/service/filter/translate';
import { athenaDdl, athenaExport, duckdbQuery, insightsQuery } from '../../server/src/service/exports';
import { DEFAULT_FORMAT, formatFromList } from '../../server/src/service/formatModel';

const V5 = formatFromList(parseFieldList('all-v5'), 'header');
const TGW = formatFromList(parseFieldList('tgw-default'), 'header');

function translate(expression: string, dialect: Dialect, format = V5): string {
  const bound = new RecordFilter(expression).bind(format);
  return translateFilter(bound.root, dialect, { discovered: dialect === 'insights' && format === DEFAULT_FORMAT });
}

describe('export: every operator in every dialect', () => {
  const cases: [string, string, string, string][] = [
    // [filter, DuckDB, Athena, Insights]
    ['dstport = 22', 'coalesce(dstport = 22, false)', 'coalesce(dstport = 22, false)', 'dstport = 22'],
    ['dstport != 22', 'NOT coalesce(dstport = 22, false)', 'NOT coalesce(dstport = 22, false)', 'not dstport = 22'],
    ['dstport < 22', 'coalesce(dstport <= 21, false)', 'coalesce(dstport <= 21, false)', 'dstport <= 21'],
    ['dstport <= 22', 'coalesce(dstport <= 22, false)', 'coalesce(dstport <= 22, false)', 'dstport <= 22'],
    ['dstport > 22', 'coalesce(dstport >= 23, false)', 'coalesce(dstport >= 23, false)', 'dstport >= 23'],
    ['dstport >= 22', 'coalesce(dstport >= 22, false)', 'coalesce(dstport >= 22, false)', 'dstport >= 22'],
    ['dstport in (22, 80)', 'coalesce(dstport IN (22, 80), false)', 'coalesce(dstport IN (22, 80), false)', 'dstport in [22, 80]'],
    ['dstport in 1024..65535', 'coalesce(dstport BETWEEN 1024 AND 65535, false)', 'coalesce(dstport BETWEEN 1024 AND 65535, false)', '(dstport >= 1024 and dstport <= 65535)'],
    ['dstport not in (22, 1024..2048)', 'NOT coalesce((dstport = 22 OR dstport BETWEEN 1024 AND 2048), false)', 'NOT coalesce((dstport = 22 OR dstport BETWEEN 1024 AND 2048), false)', 'not (dstport = 22 or (dstport >= 1024 and dstport <= 2048))'],
    ['action = reject', "coalesce(action = 'REJECT', false)", "coalesce(action = 'REJECT', false)", 'action = "REJECT"'],
    ['log-status in (ok, nodata)', "coalesce(log_status IN ('OK', 'NODATA'), false)", "coalesce(log_status IN ('OK', 'NODATA'), false)", 'log_status in ["OK", "NODATA"]'],
    ['protocol = tcp', 'coalesce(protocol = 6, false)', 'coalesce(protocol = 6, false)', 'protocol = 6'],
    ['dstport = ssh', 'coalesce(dstport = 22, false)', 'coalesce(dstport = 22, false)', 'dstport = 22'],
    ['traffic-path = igw', 'coalesce(traffic_path = 2, false)', 'coalesce(traffic_path = 2, false)', 'traffic_path = 2'],
    ['tcp-flags has syn-ack', 'coalesce((tcp_flags & 18) = 18, false)', 'coalesce(bitwise_and(tcp_flags, 18) = 18, false)', '(floor(tcp_flags / 2) % 2 = 1 and floor(tcp_flags / 16) % 2 = 1)'],
    ['start >= 2026-01-01T00:00:00Z', 'coalesce(start >= 1767225600, false)', 'coalesce(start >= 1767225600, false)', 'start >= 1767225600'],
    ['end < 1767225600', 'coalesce("end" <= 1767225599, false)', 'coalesce("end" <= 1767225599, false)', 'end <= 1767225599'],
    ['srcaddr = 10.0.1.5', "coalesce(srcaddr = '10.0.1.5', false)", "coalesce(srcaddr = '10.0.1.5', false)", 'srcaddr = "10.0.1.5"'],
    ['vpc-id = "it\'s"', "coalesce(vpc_id = 'it''s', false)", "coalesce(vpc_id = 'it''s', false)", 'vpc_id = "it\'s"'],
    ['pkt-dst-aws-service = -', 'pkt_dst_aws_service IS NULL', "(pkt_dst_aws_service IS NULL OR pkt_dst_aws_service = '-')", 'pkt_dst_aws_service = "-"'],
    ['traffic-path != -', 'NOT traffic_path IS NULL', 'NOT traffic_path IS NULL', 'not traffic_path = "-"'],
    ['dstport = 22 and (action = reject or not protocol = udp)', "coalesce(dstport = 22, false) AND (coalesce(action = 'REJECT', false) OR NOT coalesce(protocol = 17, false))", "coalesce(dstport = 22, false) AND (coalesce(action = 'REJECT', false) OR NOT coalesce(protocol = 17, false))", 'dstport = 22 and (action = "REJECT" or not protocol = 17)'],
    ['port = 443', 'coalesce(srcport = 443, false) OR coalesce(dstport = 443, false)'.replace(/^(.*)$/, '($1)'), '(coalesce(srcport = 443, false) OR coalesce(dstport = 443, false))', '(srcport = 443 or dstport = 443)'],
  ];
  for (const [filter, duckdb, athena, insights] of cases) {
    it(filter, () => {
      assert.equal(translate(filter, 'duckdb'), duckdb);
      assert.equal(translate(filter, 'athena'), athena);
      assert.equal(translate(filter, 'insights'), insights);
    });
  }
  it('CIDRs: IPv4 ranges in DuckDB, contains() in Athena, isIpv4InSubnet/isIpv6InSubnet in Insights', () => {
    const duck = translate('srcaddr in 10.0.0.0/8', 'duckdb');
    assert.match(duck, /BETWEEN 167772160 AND 184549375/);
    assert.equal(translate('srcaddr in 10.0.0.0/8', 'athena'), "coalesce(contains('10.0.0.0/8', try_cast(srcaddr AS ipaddress)), false)");
    assert.equal(translate('srcaddr in 10.0.0.0/8', 'insights'), 'isIpv4InSubnet(srcaddr, "10.0.0.0/8")');
    assert.equal(translate('srcaddr in 2001:db8::/32', 'insights'), 'isIpv6InSubnet(srcaddr, "2001:db8::/32")');
    assert.equal(translate('srcaddr = 2001:DB8::1', 'athena'), "coalesce(contains('2001:db8::1/128', try_cast(srcaddr AS ipaddress)), false)");
    const v6 = translate('srcaddr in 2001:db8::/33', 'duckdb');
    assert.match(v6, /starts_with\(.*'20010db8'\)/);
    assert.match(v6, /substr\(.*, 9, 1\) IN \('0', '1', '2', '3', '4', '5', '6', '7'\)/);
  });
  it('Insights uses the discovered camelCase names for the default format', () => {
    assert.equal(translate('srcaddr in 10.0.0.0/8 and dstport = 22 and start > 0 and log-status = ok', 'insights', DEFAULT_FORMAT),
      'isIpv4InSubnet(srcAddr, "10.0.0.0/8") and dstPort = 22 and startTime >= 1 and logStatus = "OK"');
  });
});

/** AWS's Athena table for VPC flow logs v2–v5 (Athena user guide), in its column order. */
const AWS_DOCUMENTED_V5 = [
  'version int', 'account_id string', 'interface_id string', 'srcaddr string', 'dstaddr string', 'srcport int', 'dstport int',
  'protocol bigint', 'packets bigint', 'bytes bigint', 'start bigint', '`end` bigint', 'action string', 'log_status string',
  'vpc_id string', 'subnet_id string', 'instance_id string', 'tcp_flags int', 'type string', 'pkt_srcaddr string', 'pkt_dstaddr string',
  'region string', 'az_id string', 'sublocation_type string', 'sublocation_id string', 'pkt_src_aws_service string',
  'pkt_dst_aws_service string', 'flow_direction string', 'traffic_path int',
];

function ddlColumns(ddl: string): string[] {
  const body = ddl.slice(ddl.indexOf('(\n') + 2, ddl.indexOf('\n)\n'));
  return body.split(',\n').map((line) => line.trim());
}

describe('export: Athena table', () => {
  it('the v2–v5 format gives AWS’s documented columns and types, in order', () => {
    assert.deepEqual(ddlColumns(athenaDdl(V5)), AWS_DOCUMENTED_V5);
  });
  it('a custom order is followed column by column', () => {
    const custom = formatFromList(parseFieldList('version vpc-id srcaddr dstaddr srcport dstport protocol start end action log-status'), 'header');
    assert.deepEqual(ddlColumns(athenaDdl(custom)), ['version int', 'vpc_id string', 'srcaddr string', 'dstaddr string', 'srcport int', 'dstport int', 'protocol bigint', 'start bigint', '`end` bigint', 'action string', 'log_status string']);
  });
  it('space delimiter, header skipped, partition projection over AWS’s S3 layout', () => {
    const ddl = athenaDdl(DEFAULT_FORMAT, { location: 's3://bucket/logs', account: '123456789010', region: 'us-east-1' });
    assert.match(ddl, /ROW FORMAT DELIMITED\nFIELDS TERMINATED BY ' '\n/);
    assert.match(ddl, /'skip\.header\.line\.count'='1'/);
    assert.match(ddl, /PARTITIONED BY \(aws_account_id string, aws_region string, day string\)/);
    assert.match(ddl, /'projection\.aws_account_id\.values'='123456789010'/);
    assert.match(ddl, /'projection\.day\.format'='yyyy\/MM\/dd'/);
    assert.match(ddl, /'storage\.location\.template'='s3:\/\/bucket\/logs\/AWSLogs\/\$\{aws_account_id\}\/vpcflowlogs\/\$\{aws_region\}\/\$\{day\}\/'/);
    assert.doesNotMatch(ddl, /PARTITIONED BY \([^)]*\bregion string/, 'no partition key named like the v4 column region');
  });
  it('Hive-compatible and hourly layouts', () => {
    const ddl = athenaDdl(V5, { layout: 'hive', hourly: true });
    assert.match(ddl, /PARTITIONED BY \(aws_account_id string, aws_region string, year string, month string, day string, hour string\)/);
    assert.match(ddl, /AWSLogs\/aws-account-id=\$\{aws_account_id\}\/aws-service=vpcflowlogs\/aws-region=\$\{aws_region\}\/year=\$\{year\}\/month=\$\{month\}\/day=\$\{day\}\/hour=\$\{hour\}\/'/);
    assert.match(ddl, /'projection\.aws_account_id\.type'='injected'/);
    assert.match(ddl, /'projection\.month\.digits'='2'/);
  });
  it('Transit Gateway: its own table name and columns, packets-lost counters as bigint', () => {
    const ddl = athenaDdl(TGW);
    assert.match(ddl, /CREATE EXTERNAL TABLE IF NOT EXISTS tgw_flow_logs/);
    const columns = ddlColumns(ddl);
    assert.equal(columns.length, 36);
    assert.ok(columns.includes('packets_lost_no_route bigint'));
    assert.ok(columns.includes('resource_type string'));
  });
  it('with a filter, a SELECT … WHERE after the table', () => {
    const filter = new RecordFilter('action = reject and dstport = ssh').bind(V5);
    const text = athenaExport(V5, { filter, table: 'flows' });
    assert.match(text, /SELECT \*\nFROM flows\nWHERE coalesce\(action = 'REJECT', false\) AND coalesce\(dstport = 22, false\)\nLIMIT 100;\n$/);
  });
});

describe('export: Logs Insights and DuckDB', () => {
  it('default format: discovered fields, no parse line', () => {
    const query = insightsQuery(DEFAULT_FORMAT);
    assert.doesNotMatch(query, /parse @message/);
    assert.match(query, /^fields @timestamp, version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus\n/);
  });
  it('custom format: one * per field, names in file order', () => {
    const custom = formatFromList(parseFieldList('version vpc-id subnet-id srcaddr tcp-flags log-status'), 'header');
    const filter = new RecordFilter('tcp-flags has syn').bind(custom);
    assert.equal(insightsQuery(custom, { filter }), 'parse @message "* * * * * *" as version, vpc_id, subnet_id, srcaddr, tcp_flags, log_status\n| filter floor(tcp_flags / 2) % 2 = 1\n| sort @timestamp desc\n| limit 100\n');
  });
  it('DuckDB read_csv with columns and types, - as NULL, header by the file', () => {
    const query = duckdbQuery(DEFAULT_FORMAT, { path: "logs/*.log.gz", header: true });
    assert.match(query, /read_csv\('logs\/\*\.log\.gz', delim = ' ', header = true, nullstr = '-', auto_detect = false,/);
    assert.match(query, /'srcport': 'INTEGER'.*'packets': 'UBIGINT'.*'start': 'BIGINT'.*'end': 'BIGINT'.*'action': 'VARCHAR'/);
    assert.match(duckdbQuery(DEFAULT_FORMAT, { header: false }), /header = false/);
  });
});
