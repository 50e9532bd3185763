/**
 * The cross-field rules, defined once: which fields of a record each rule compares (by role, not
 * by column), which enum values it tests (by name, not by their order in the catalog) and the
 * limits it uses. Both validation paths read these definitions: the exact path (validate.ts
 * `crossCheck`), which reports, and the fast path (fastPath.ts `crossFieldsClean`), which only
 * proves a record clean. Each check exists twice, for speed, and each copy names its twin;
 * test/unit/crossFields.test.ts fails when a rule fires on one path and not the other.
 */
import { lookupField } from '../catalog/fields';
import { TCP } from '../catalog/protocols';
import type { RuleCode } from './rules';

/** The values of one record that cross-field rules read, and the field that holds each. */
export const ROLE_FIELDS = {
  start: 'start',
  end: 'end',
  protocol: 'protocol',
  tcpFlags: 'tcp-flags',
  logStatus: 'log-status',
  type: 'type',
  srcaddr: 'srcaddr',
  dstaddr: 'dstaddr',
  direction: 'flow-direction',
  trafficPath: 'traffic-path',
} as const;

export type Role = keyof typeof ROLE_FIELDS;
export const ROLES = Object.keys(ROLE_FIELDS) as Role[];

/** A number per role for per-column tables (0: the column feeds no rule). */
export const ROLE = {
  none: 0,
  start: 1,
  end: 2,
  protocol: 3,
  tcpFlags: 4,
  logStatus: 5,
  type: 6,
  srcaddr: 7,
  dstaddr: 8,
  direction: 9,
  trafficPath: 10,
} as const satisfies Record<Role | 'none', number>;

/** Fields that every accepted or rejected flow fills: a NODATA or SKIPDATA record leaves them `-`. */
export const TRAFFIC_FIELDS = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'action'] as const;
/** Fields an OK record must fill (ports stay `-` for protocols without ports). */
export const REQUIRED_WHEN_OK = ['srcaddr', 'dstaddr', 'protocol', 'packets', 'bytes', 'action'] as const;

/** Index of `value` in the catalog's list for `field`, as value checks report it; fails loudly if the catalog changed. */
function enumIndex(field: string, value: string): number {
  const index = lookupField(field)?.values?.findIndex((entry) => entry.value === value) ?? -1;
  if (index < 0) throw new Error(`crossFields: the catalog has no ${field} value ${value}`);
  return index;
}

export const LOG_STATUS = { OK: enumIndex('log-status', 'OK'), NODATA: enumIndex('log-status', 'NODATA'), SKIPDATA: enumIndex('log-status', 'SKIPDATA') };
export const ADDRESS_TYPE = { IPv4: enumIndex('type', 'IPv4'), IPv6: enumIndex('type', 'IPv6') };
export const DIRECTION = { ingress: enumIndex('flow-direction', 'ingress'), egress: enumIndex('flow-direction', 'egress') };
export { TCP };

/** Longest start–end window of a record: AWS's maximum aggregation interval is 10 minutes. */
export const MAX_WINDOW_SECONDS = 600;

/** Address family (4 or 6, as value checks report it) that a `type` enum index stands for; 0 for EFA or none. */
export function typeFamily(typeIndex: number): number {
  return typeIndex === ADDRESS_TYPE.IPv4 ? 4 : typeIndex === ADDRESS_TYPE.IPv6 ? 6 : 0;
}

export interface CrossFieldRule {
  readonly code: RuleCode;
  /** The roles the rule compares; a format without all of them never fires it. */
  readonly roles: readonly Role[];
}

/** Every cross-field rule, in the order the exact path checks them. */
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  { code: 'start-after-end', roles: ['start', 'end'] },
  { code: 'window-too-long', roles: ['start', 'end'] },
  { code: 'nodata-with-traffic', roles: ['logStatus'] },
  { code: 'ok-missing-traffic', roles: ['logStatus'] },
  { code: 'tcp-flags-non-tcp', roles: ['tcpFlags', 'protocol'] },
  { code: 'type-mismatch', roles: ['type', 'srcaddr', 'dstaddr'] },
  { code: 'traffic-path-ingress', roles: ['direction', 'trafficPath'] },
];
