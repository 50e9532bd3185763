/**
 * The detected format, and a filter, as the engines users already run need them: an Athena
 * `CREATE EXTERNAL TABLE` with partition projection for the S3 layouts flow logs are delivered
 * in, a CloudWatch Logs Insights query, and a DuckDB `read_csv` query. Columns are the file's
 * fields in file order, so a custom format is read right (a hand-written table in the wrong
 * order silently yields wrong or NULL columns). Pure: no Node APIs.
 */
import type { FlowLogFormat } from './formatModel';
import type { BoundFilter } from './filter/bind';
import { athenaType, columnName, duckdbType, INSIGHTS_DISCOVERED, sqlIdentifier, translateFilter } from './filter/translate';

export type ExportTarget = 'athena' | 'insights' | 'duckdb';
export const EXPORT_TARGETS: readonly ExportTarget[] = ['athena', 'insights', 'duckdb'];

/** S3 key layouts of flow log delivery: AWS's plain prefixes, or Hive-compatible `key=value` ones. */
export type S3Layout = 'aws' | 'hive';

export interface ExportOptions {
  /** The filter bound to the format, when one was given. */
  readonly filter?: BoundFilter;
  /** Athena table name (default `vpc_flow_logs`, `tgw_flow_logs` for Transit Gateway). */
  readonly table?: string;
  /** Athena: S3 location above `AWSLogs/` (`s3://bucket/prefix/`). */
  readonly location?: string;
  readonly layout?: S3Layout;
  /** Athena: the flow log writes hourly partitions. */
  readonly hourly?: boolean;
  /** Athena: account and region values for partition projection (injected when unknown). */
  readonly account?: string;
  readonly region?: string;
  /** DuckDB: the files to read (a path or glob). */
  readonly path?: string;
  /** The files start with a header line (S3 delivery); false for headerless CloudWatch exports. */
  readonly header?: boolean;
}

/** `ACCOUNT_vpcflowlogs_REGION_FLOWLOGID_YYYYMMDDTHHmmZ_HASH.log.gz`, the name of an S3 delivery object. */
const S3_OBJECT = /^(\d{12})_vpcflowlogs_([a-z]{2}(?:-[a-z]+)+-\d{1,2})_/;

/** Account and region in the name of an S3 delivery object (the last path segment), if it is one. */
export function s3ObjectFacts(path: string): { account?: string; region?: string } {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const object = S3_OBJECT.exec(name);
  return object ? { account: object[1], region: object[2] } : {};
}

/** Whether the format is AWS's default VPC format, whose fields Logs Insights discovers. */
export function isDefaultFormat(format: FlowLogFormat): boolean {
  return format.kind === 'vpc' && format.layoutId === 'default';
}

export function exportFor(target: ExportTarget, format: FlowLogFormat, options: ExportOptions = {}): string {
  switch (target) {
    case 'athena':
      return athenaExport(format, options);
    case 'insights':
      return insightsQuery(format, options);
    case 'duckdb':
      return duckdbQuery(format, options);
  }
}

/** Every column, with its field; a name the catalog does not know becomes a string column. */
function columns(format: FlowLogFormat): { name: string; spec: FlowLogFormat['fields'][number] }[] {
  return format.names.map((name, i) => ({ name, spec: format.fields[i] }));
}

const DEFAULT_LOCATION = 's3://amzn-s3-demo-bucket/prefix/';
/** VPC flow logs (and Transit Gateway flow logs, whose S3 delivery uses the same `vpcflowlogs` service path). */
const SERVICE = 'vpcflowlogs';
/** First day partition projection offers; flow log delivery to S3 began in 2018. */
const FIRST_DAY = '2018/01/01';

export function athenaDdl(format: FlowLogFormat, options: ExportOptions = {}): string {
  const table = options.table ?? (format.kind === 'tgw' ? 'tgw_flow_logs' : 'vpc_flow_logs');
  const location = withSlash(options.location ?? DEFAULT_LOCATION);
  const layout = options.layout ?? 'aws';
  const hiveName = (name: string) => (name === 'end' ? '`end`' : columnName(name));
  const body = columns(format).map(({ name, spec }) => `  ${hiveName(name)} ${spec ? athenaType(spec) : 'string'}`);
  const partitions = layout === 'hive' ? hivePartitions(options) : awsPartitions(options);
  const properties = [
    `  'skip.header.line.count'='${options.header === false ? 0 : 1}'`,
    `  'projection.enabled'='true'`,
    ...partitions.projection.map((line) => `  ${line}`),
    `  'storage.location.template'='${location}AWSLogs/${partitions.template}'`,
  ];
  const note =
    format.kind === 'tgw'
      ? "-- Transit Gateway flow log. AWS's Athena guide does not cover these; the columns follow the file's header.\n"
      : '';
  return `${note}CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (
${body.join(',\n')}
)
PARTITIONED BY (${partitions.keys.map((k) => `${k} string`).join(', ')})
ROW FORMAT DELIMITED
FIELDS TERMINATED BY ' '
LOCATION '${location}AWSLogs/'
TBLPROPERTIES (
${properties.join(',\n')}
);
`;
}

interface Partitions {
  keys: string[];
  projection: string[];
  template: string;
}

/** Partition keys are named apart from the data columns (`region` is a v4 field). */
function accountRegion(options: ExportOptions): string[] {
  const enumOrInjected = (key: string, value: string | undefined) =>
    value ? [`'projection.${key}.type'='enum'`, `'projection.${key}.values'='${value}'`] : [`'projection.${key}.type'='injected'`];
  return [...enumOrInjected('aws_account_id', options.account), ...enumOrInjected('aws_region', options.region)];
}

function hourProjection(): string[] {
  return [`'projection.hour.type'='integer'`, `'projection.hour.range'='0,23'`, `'projection.hour.digits'='2'`];
}

/** `AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[<hh>/]`. */
function awsPartitions(options: ExportOptions): Partitions {
  const keys = ['aws_account_id', 'aws_region', 'day'];
  const projection = [
    ...accountRegion(options),
    `'projection.day.type'='date'`,
    `'projection.day.format'='yyyy/MM/dd'`,
    `'projection.day.range'='${FIRST_DAY},NOW'`,
    `'projection.day.interval'='1'`,
    `'projection.day.interval.unit'='DAYS'`,
  ];
  let template = `\${aws_account_id}/${SERVICE}/\${aws_region}/\${day}`;
  if (options.hourly) {
    keys.push('hour');
    projection.push(...hourProjection());
    template += '/${hour}';
  }
  return { keys, projection, template: `${template}/` };
}

/** `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=…/month=…/day=…/[hour=…/]`. */
function hivePartitions(options: ExportOptions): Partitions {
  const keys = ['aws_account_id', 'aws_region', 'year', 'month', 'day'];
  const projection = [
    ...accountRegion(options),
    `'projection.year.type'='integer'`,
    `'projection.year.range'='${FIRST_DAY.slice(0, 4)},2100'`,
    `'projection.month.type'='integer'`,
    `'projection.month.range'='1,12'`,
    `'projection.month.digits'='2'`,
    `'projection.day.type'='integer'`,
    `'projection.day.range'='1,31'`,
    `'projection.day.digits'='2'`,
  ];
  let template = `aws-account-id=\${aws_account_id}/aws-service=${SERVICE}/aws-region=\${aws_region}/year=\${year}/month=\${month}/day=\${day}`;
  if (options.hourly) {
    keys.push('hour');
    projection.push(...hourProjection());
    template += '/hour=${hour}';
  }
  return { keys, projection, template: `${template}/` };
}

function withSlash(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}

/** The DDL, and with a filter the `SELECT … WHERE` that means the same. */
export function athenaExport(format: FlowLogFormat, options: ExportOptions = {}): string {
  const ddl = athenaDdl(format, options);
  if (!options.filter) return ddl;
  const table = options.table ?? (format.kind === 'tgw' ? 'tgw_flow_logs' : 'vpc_flow_logs');
  return `${ddl}\n-- flowlog filter: ${options.filter.source.replace(/\s+/g, ' ')}\nSELECT *\nFROM ${table}\nWHERE ${translateFilter(options.filter.root, 'athena')}\nLIMIT 100;\n`;
}

/** A Logs Insights query: `parse @message` unless the format is the default, then the filter. */
export function insightsQuery(format: FlowLogFormat, options: ExportOptions = {}): string {
  const discovered = isDefaultFormat(format);
  const lines: string[] = [];
  if (discovered) {
    lines.push(`fields @timestamp, ${format.names.map((n) => INSIGHTS_DISCOVERED[n] ?? columnName(n)).join(', ')}`);
  } else {
    lines.push(`parse @message "${format.names.map(() => '*').join(' ')}" as ${format.names.map(columnName).join(', ')}`);
  }
  if (options.filter) lines.push(`| filter ${translateFilter(options.filter.root, 'insights', { discovered })}`);
  lines.push('| sort @timestamp desc', '| limit 100');
  return `${lines.join('\n')}\n`;
}

/** A DuckDB query reading the files with the format's columns and types; `-` reads as NULL. */
export function duckdbQuery(format: FlowLogFormat, options: ExportOptions = {}): string {
  const path = (options.path ?? '*.log.gz').replace(/'/g, "''");
  const types = columns(format).map(({ name, spec }) => `'${columnName(name)}': '${duckdbType(spec)}'`);
  const read = `read_csv('${path}', delim = ' ', header = ${options.header === false ? 'false' : 'true'}, nullstr = '-', auto_detect = false,\n  columns = {${types.join(', ')}})`;
  const where = options.filter ? `\nWHERE ${translateFilter(options.filter.root, 'duckdb')}` : '';
  return `SELECT *\nFROM ${read}${where};\n`;
}

/** Quoted SQL column of a field, for callers that build on these queries. */
export { sqlIdentifier };
