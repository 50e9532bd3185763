/**
 * The object form (group.ts) of one group of the pairing columns (groupStore.ts): made when a
 * hover, the report or a closing stream judges it (verdict.ts), never for every group at once.
 */
import { PLACE_STRIDE, type DirectionState, type Group, type HopState } from './group';
import { NO_ROW } from './groupColumns';
import { DirAction, GroupFlag, HopBit, NO_GROUP, type GroupStore } from './groupStore';

/** The object form of group `g`, as verdict.ts judges it. */
export function materialize(store: GroupStore, g: number): Group {
  const intern = store.intern;
  const hops: HopState[] = [];
  for (let h = store.firstHop[g]; h !== NO_ROW; h = store.hopNext[h]) {
    const intermediate = (store.hopBits[h] & HopBit.Intermediate) !== 0;
    hops.push({
      interfaceId: intern.value(store.hopIface[h]),
      intermediate,
      standIn: intermediate ? intern.value(store.hopStandIn[h]) : null,
      beyond: intermediate ? intern.value(store.hopBeyond[h]) : null,
      forward: direction(store, g, h, true),
      backward: direction(store, g, h, false),
    });
  }
  const flags = store.flags[g];
  const outside = store.outsideOf(g);
  return {
    protocol: store.numberOf(store.protocol[g]),
    aAddr: intern.value(store.aAddr[g]),
    aPort: store.numberOf(store.aPort[g]),
    bAddr: intern.value(store.bAddr[g]),
    bPort: store.numberOf(store.bPort[g]),
    hops,
    firstStart: store.numberOf(store.firstStart[g]),
    lastEnd: store.numberOf(store.lastEnd[g]),
    natOutside: outside === NO_GROUP ? null : materialize(store, outside),
    joined: (flags & GroupFlag.Joined) !== 0,
    anyReject: (flags & GroupFlag.AnyReject) !== 0,
    anyAccept: (flags & GroupFlag.AnyAccept) !== 0,
  };
}

function direction(store: GroupStore, g: number, h: number, forward: boolean): DirectionState | null {
  const d = store.directionOf(h, forward);
  if (d === NO_ROW) return null;
  let places: number[] | null = null;
  if (store.keepLines) {
    const one = store.recordsOf(d) === 1 || store.dirPlaces[d] === NO_ROW;
    places = one ? [store.dirLine[d] * PLACE_STRIDE + store.recordOf(d)] : [];
    if (!one) for (let p = store.dirPlaces[d]; p !== NO_ROW; p = store.placeNext[p]) places.push(store.placeLine[p] * PLACE_STRIDE + store.placeRecord[p]);
  }
  const rejected = store.dirAction[d] & DirAction.Rejected;
  return {
    line: store.dirLine[d],
    record: store.recordOf(d),
    places,
    records: store.recordsOf(d),
    accepted: store.dirAction[d] & DirAction.Accepted,
    rejected,
    rejectLine: store.rejectLineOf(d),
    rejectRecord: store.rejectRecordOf(d),
    packets: store.dirPackets[d],
    bytes: store.dirBytes[d],
    start: store.numberOf(store.dirStart[d]),
    tcpFlags: store.tcpFlagsOf(d),
    srcaddr: store.intern.value(store.srcOf(g, d, forward)),
    dstaddr: store.intern.value(store.dstOf(g, d, forward)),
  };
}
