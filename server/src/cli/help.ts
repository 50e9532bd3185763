/** Help texts: `flowlog --help` and `flowlog <command> --help`. */
import type { CommandName } from './args';

const FILES = `FILE may be '-' for standard input (read when no FILE is given and input is piped).
Gzip input (.gz, or any file starting with the gzip magic bytes) is decompressed on the fly.`;

const EXIT = `Exit status: 0 no errors, 1 errors found, 2 usage error or a file could not be read
(the other files are still processed).`;

export const MAIN_HELP = `flowlog — lint, parse and summarise AWS VPC and Transit Gateway flow logs

Usage: flowlog <command> [options] FILE…

Commands:
  lint     report problems: text (file:line:col: severity code message), JSON or SARIF 2.1.0
  parse    print records as JSON Lines, one object per record
  detect   show the record format of each file and where it came from
  stats    summarise: totals, timeline, top-N tables (--group-by, --top, --interval)
  conversations  pair requests with their replies: who started, verdict and why
  explain  only the conversations with a REJECT, grouped by verdict, with the reason
  filter   print the records that pass a filter: flowlog filter 'dstport = ssh' FILE
  export   the format (and a filter) for Athena, CloudWatch Logs Insights or DuckDB
  report   the traffic summary as one self-contained HTML file: flowlog report FILE… -o report.html

Options:
  -h, --help       help for flowlog or a command (flowlog <command> --help)
  -v, --version    print the version

${FILES}
${EXIT}
`;

const FIELDS_OPTION = `  --fields F          the record format of files without a header line (one at the top of
                      a file wins): field names ('version srcaddr …', hyphens or
                      underscores), a LogFormat string ('\${version} \${srcaddr} …') or a
                      layout id (default, tgw-default, all-v5 …)`;

const PROGRESS_OPTION = `  --no-progress       no progress bar (shown on a terminal for inputs over 50 MB)`;

const THREADS_OPTION = `  --threads N         worker threads for a large file (over 24 MiB, a .gz over 6 MiB;
                      while records are paired - lint's reply-rejected, conversations,
                      explain - over 128 MiB, a .gz over 32 MiB), and for several files
                      of 64 MiB in all (lint; filter from 256 MiB), each smaller file
                      read whole by a worker;
                      the output is the same as with one thread. Default: the CPU count
                      (at most 8), or FLOWLOG_THREADS; 1 reads every file on one thread`;

const COMMAND_HELP: Record<CommandName, string> = {
  lint: `Usage: flowlog lint [options] FILE…

Checks every record against its format and reports problems.

Options:
  --format FORMAT     text (default), json or sarif (SARIF 2.1.0, for GitHub code scanning)
${FIELDS_OPTION}
  --rule CODE=LEVEL   set a rule's severity: error, warning, info, hint or off (repeatable)
  --max-problems N    stop checking a file after N problems (default: no limit)
${THREADS_OPTION}
${PROGRESS_OPTION}

Text lines read 'file:line:col: severity code message' (line and column 1-based).
JSON is an array with one object per file: {file, problems: [{line, column, endLine, endColumn,
severity, code, message}], format, lines, errors, warnings, infos, hints[, failure]}.
Exit status 1 when a problem of severity error was found (after --rule). A file with no flow
log record at all (not-flow-log) is an error here, unlike in the editor; --rule
not-flow-log=warning makes it a warning.

${FILES}
${EXIT}
`,
  parse: `Usage: flowlog parse [options] FILE…

Prints each record as one JSON object per line (JSON Lines). Keys are the AWS field names
(hyphenated) in the format's order; integers are numbers (beyond 2^53 written with all their
digits), '-' is null, other values are strings. A value of an integer field that is not an
integer ('2O', '-1') is null too, and such records are counted on stderr. Header, comment and
blank lines are skipped.
Lines whose field count does not match the format are skipped and counted on stderr
('flowlog: FILE: N malformed lines skipped (run flowlog lint)'). A file whose format is not
recognised is not parsed (exit status 1); pass --fields.

Options:
${FIELDS_OPTION}
${THREADS_OPTION}
${PROGRESS_OPTION}

${FILES}
`,
  detect: `Usage: flowlog detect [options] FILE…

Shows the record format found at the start of each file: kind (vpc or tgw), field list,
source (option, header, directive, inferred, default), confidence, ambiguous columns and known
layout. Only the beginning of each file is read.

Options:
  --format FORMAT     text (default) or json
${FIELDS_OPTION}

${FILES}
`,
  stats: `Usage: flowlog stats [options] FILE…

Summarises all the files together: records by action and log-status, bytes and packets, the
time span and a timeline (records and bytes per interval, ACCEPT / REJECT / other), and top-N
tables with records, bytes, packets and rejected records per row: talkers by bytes, destination
ports, rejected destinations, rejected destination ports (by protocol: ICMP is not port 0),
interfaces (or transit gateway attachments), protocols, traffic paths, AWS services and flow
direction, whichever the format has. Each row comes with the filter that selects its records
(--format json or csv), for flowlog filter and the editor. Counts are exact up to 1,000,000
distinct groups (all tables together); past that a table is an estimate that lists only the
rows sure to be in it, or says that no entry stands out. A file that does not look like a flow
log is not counted (exit status 1); pass --fields.

Options:
  --group-by F[,F]    a table of one or two fields instead of the built-in set (repeatable),
                      e.g. --group-by dstport --group-by srcaddr,dstaddr
  --by MEASURE        what --group-by tables rank by: records (default), bytes or packets
  --top N             rows per table, 1–1000 (default 10)
  --interval DURATION timeline interval (30s, 5m, 1h, 1d), listed interval by interval;
                      without it the interval is chosen from the span and only summarised
  --format FORMAT     text (default), json (the whole summary) or csv (the tables: one header
                      line, one line per row, the table's title in the first column)
${FIELDS_OPTION}
  --threads N         worker threads for a large file (over 24 MiB, a .gz over 6 MiB), each
                      summarising segments that are merged in order: the same output as one
                      thread while the tables are exact (past the budget both keep their
                      stated bounds, the estimates may differ). Default: 1 (when most groups
                      are new, as with many address pairs, merging the workers' tables costs
                      more than they save), or FLOWLOG_THREADS
${PROGRESS_OPTION}

${FILES}
`,
  report: `Usage: flowlog report [options] FILE… -o FILE

Writes the traffic summary of all the files together as one HTML file that opens in any
browser, offline: a timeline of records and bytes per interval (ACCEPT, REJECT and the rest
stacked), the top talkers, destination ports, rejected destinations, interfaces, protocols,
traffic paths, AWS services and flow directions the format has (each table beside its chart),
and the conversations by verdict. The same view as the editor's Show Summary. The file holds
its script and data (no network, a strict Content-Security-Policy); a clicked bar or row shows
the 'flowlog filter' command that prints its records. Nothing is written when no input is a
flow log.

Options:
  -o, --output FILE     where to write the report (required; - for standard output)
  --group-by F[,F]      a table grouped by one field or a pair, instead of the built-in
                        ones (repeatable): --group-by srcaddr,dstport --group-by dstport
  --top N               rows per table (default 10, at most 1000)
  --by MEASURE          what the --group-by tables rank by: records (default), bytes, packets
  --interval DURATION   timeline interval: 30s, 5m, 1h, 1d (default: from the time span)
${FIELDS_OPTION}
${PROGRESS_OPTION}

${FILES}
Exit status: 0 written, 1 an input is not a flow log (left out; nothing written when none
is one), 2 usage error or a file that could not be read or written.
`,
  conversations: `Usage: flowlog conversations [options] FILE…

Pairs each file's records into conversations: the same protocol and address/port pair in both
directions (ICMP, GRE, ESP…: the address pair) on the same interface, with windows that overlap or follow
within the aggregation interval. The initiator is decided by SYN vs SYN-ACK in tcp-flags, else
by the well-known (or lower) port as the server, else by the earlier record. NAT gateway and
transit gateway records of one flow are joined into one conversation with its hops.
Verdicts: accepted, request-rejected, response-rejected (a network ACL: security groups let
replies out), no-response, one-way-log (a log without any ACCEPT record cannot be paired).
Conversations are printed as they close (the stream has moved past their window), so memory
stays bounded on any file.

Options:
  --format FORMAT     text (default, one line per conversation) or json (JSON Lines:
                      protocol, initiator and responder {addr, port}, interface-id, request and
                      response {line, action, packets, bytes} or null (line 1-based), verdict,
                      reason, and hops when NAT or transit gateway records were joined)
${FIELDS_OPTION}
${THREADS_OPTION}
                      (workers read the records, this thread pairs them in line order)
${PROGRESS_OPTION}

${FILES}
`,
  explain: `Usage: flowlog explain [options] FILE…

Lists the conversations with a REJECT, grouped by verdict (reply rejected first), with the
lines, the packets and bytes each way, the path through gateways and the reason.

Options:
  --limit N           conversations listed per verdict and file (default 20; 0 lists all)
${FIELDS_OPTION}
${THREADS_OPTION}
${PROGRESS_OPTION}

${FILES}
`,
  filter: `Usage: flowlog filter [options] EXPR FILE…

Prints the records that pass the filter EXPR in their original text, header lines kept, so
the output is itself a flow log. Examples:
  flowlog filter 'action = reject and dstport = ssh' FILE
  flowlog filter 'addr in 10.0.0.0/8 and not port in 1024..65535' FILE
  flowlog filter 'protocol = udp and start >= 2026-01-01T10:00:00Z' FILE
  flowlog filter 'tcp-flags has syn and traffic-path = igw' FILE
The language (fields by their AWS names; = != < <= > >= in, not in, has; and, or, not;
CIDRs, ranges a..b, names for protocols, ports, TCP flags and traffic paths; - for no value)
is described in the README. A field the file's format lacks is an error.

Options:
  --output KIND       text (default), jsonl (as flowlog parse writes records) or csv
                      (a header row, then one row per record; '-' is an empty cell)
  --count             print only the number of matching records (FILE:N for several files)
${FIELDS_OPTION}
${THREADS_OPTION}
${PROGRESS_OPTION}

${FILES}
Exit status: 0 when a record matched, 1 when none did, 2 for a bad filter (its column is
shown) or a file that could not be read — grep's convention.
`,
  export: `Usage: flowlog export athena|insights|duckdb [options] FILE

Writes what an engine needs to read files of FILE's format (detected as flowlog detects it):
  athena    CREATE EXTERNAL TABLE with the columns in file order and AWS's types, the header
            line skipped and partition projection for the S3 layout; with --filter, also the
            SELECT … WHERE that means the same
  insights  a CloudWatch Logs Insights query: parse @message for a custom format (fields of
            the default format are discovered), then the filter
  duckdb    a DuckDB query: read_csv with the columns and types ('-' is NULL), then the filter

Options:
  --filter EXPR       a filter (as for flowlog filter) translated for the engine
  --table NAME        athena: table name (default vpc_flow_logs, tgw_flow_logs)
  --location S3URL    athena: the location above AWSLogs/ (s3://bucket/prefix/)
  --layout aws|hive   athena: S3 keys AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/ (aws, the
                      default) or Hive-compatible aws-account-id=…/aws-service=…/year=…/ (hive)
  --hourly            athena: the flow log writes hourly partitions
  --account ID        athena: account for partition projection (else from an S3 object name,
  --region REGION     else injected: queries then name it in WHERE)
${FIELDS_OPTION}
`,
};

export function commandHelp(command: CommandName): string {
  return COMMAND_HELP[command];
}
