/**
 * Which top-N tables a summary holds: the built-in set (shown for whichever of their fields a
 * file's format has) or the groupings a user names (`dstport`, `srcaddr,dstaddr`). Pure.
 */
import { lookupField } from '../../catalog/fields';
import { suggestFieldName } from '../fieldList';
import type { TopTable } from './model';

export type RankBy = TopTable['by'];

export interface Grouping {
  fields: readonly string[];
  by: RankBy;
  /** Only rejected records count (the filter `action = REJECT`). */
  rejectedOnly: boolean;
  title: string;
  /** A built-in table, left out of the report when no format read has its fields. */
  builtIn: boolean;
}

const builtIn = (fields: string[], by: RankBy, title: string, rejectedOnly = false): Grouping => ({ fields, by, rejectedOnly, title, builtIn: true });

/** The tables a summary shows by default (issue 14), in order. */
export const DEFAULT_GROUPINGS: readonly Grouping[] = [
  builtIn(['srcaddr', 'dstaddr'], 'bytes', 'Top talkers by bytes'),
  builtIn(['dstport'], 'records', 'Destination ports'),
  builtIn(['dstaddr'], 'records', 'Rejected destinations', true),
  // By protocol too: port 0 of ICMP or GRE is no port, and 53/udp is not 53/tcp.
  builtIn(['dstport', 'protocol'], 'records', 'Rejected destination ports', true),
  builtIn(['interface-id'], 'bytes', 'Interfaces by bytes'),
  builtIn(['tgw-attachment-id'], 'bytes', 'Transit gateway attachments by bytes'),
  builtIn(['protocol'], 'bytes', 'Protocols by bytes'),
  builtIn(['traffic-path'], 'bytes', 'Traffic paths by bytes'),
  builtIn(['pkt-src-aws-service', 'pkt-dst-aws-service'], 'bytes', 'AWS services by bytes (source, destination)'),
  builtIn(['flow-direction'], 'bytes', 'Flow direction by bytes'),
];

/** Most fields in one grouping. */
export const MAX_GROUPING_FIELDS = 2;

/**
 * A user's grouping, checked against the catalog: its fields, or a message saying what is wrong
 * (an unknown name with the nearest known one, too many fields, a repeated one).
 */
export function readGrouping(text: string): string[] | string {
  const fields = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (fields.length === 0) return `\`${text}\` names no field`;
  if (fields.length > MAX_GROUPING_FIELDS) return `\`${text}\`: group by one or two fields`;
  for (const name of fields) {
    if (!lookupField(name)) {
      const suggestion = suggestFieldName(name);
      return `\`${name}\` is not a field${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`;
    }
  }
  if (fields.length === 2 && fields[0] === fields[1]) return `\`${text}\` names \`${fields[0]}\` twice`;
  return fields;
}

/** The groupings of a request: the user's (each checked with readGrouping first) or the built-in set. */
export function groupingsOf(groupBy: readonly (readonly string[])[] | undefined, by: RankBy = 'records'): Grouping[] {
  if (!groupBy || groupBy.length === 0) return [...DEFAULT_GROUPINGS];
  return groupBy.map((fields) => ({ fields: [...fields], by, rejectedOnly: false, title: `Top ${fields.join(', ')} by ${by}`, builtIn: false }));
}
