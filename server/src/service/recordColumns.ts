/**
 * Where a format puts the fields that cross-field checks read (the roles of crossFields.ts), found
 * once per format and shared by the exact validator (validate.ts) and the fast path (fastPath.ts).
 */
import type { FlowLogFormat } from './formatModel';
import { REQUIRED_WHEN_OK, ROLE_FIELDS, ROLES, TRAFFIC_FIELDS, type Role } from './crossFields';

/** Column of each role (-1 when the format lacks its field), and the column groups rules read. */
export type RecordColumns = Record<Role, number> & {
  /** Columns that every accepted or rejected flow fills. */
  traffic: number[];
  /** Columns an OK record must fill. */
  required: number[];
};

export function recordColumns(format: FlowLogFormat): RecordColumns {
  const at = (name: string): number => format.names.indexOf(name);
  const roles = Object.fromEntries(ROLES.map((role) => [role, at(ROLE_FIELDS[role])])) as Record<Role, number>;
  return {
    ...roles,
    traffic: TRAFFIC_FIELDS.map(at).filter((i) => i >= 0),
    required: REQUIRED_WHEN_OK.map(at).filter((i) => i >= 0),
  };
}
