/**
 * Where a format puts the fields that cross-field checks read, found once per format and shared
 * by the exact validator (validate.ts) and the fast path (fastPath.ts).
 */
import type { FlowLogFormat } from './formatModel';

/** Columns of the fields that cross-field checks read (-1 when the format lacks one). */
export interface RecordColumns {
  start: number;
  end: number;
  protocol: number;
  tcpFlags: number;
  logStatus: number;
  action: number;
  type: number;
  srcaddr: number;
  dstaddr: number;
  direction: number;
  trafficPath: number;
  /** Columns that every accepted or rejected flow fills. */
  traffic: number[];
  /** Columns an OK record must fill. */
  required: number[];
}

const TRAFFIC_FIELDS = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'action'];
const REQUIRED_WHEN_OK = ['srcaddr', 'dstaddr', 'protocol', 'packets', 'bytes', 'action'];

export function recordColumns(format: FlowLogFormat): RecordColumns {
  const at = (name: string): number => format.names.indexOf(name);
  return {
    start: at('start'),
    end: at('end'),
    protocol: at('protocol'),
    tcpFlags: at('tcp-flags'),
    logStatus: at('log-status'),
    action: at('action'),
    type: at('type'),
    srcaddr: at('srcaddr'),
    dstaddr: at('dstaddr'),
    direction: at('flow-direction'),
    trafficPath: at('traffic-path'),
    traffic: TRAFFIC_FIELDS.map(at).filter((i) => i >= 0),
    required: REQUIRED_WHEN_OK.map(at).filter((i) => i >= 0),
  };
}
