/**
 * The verdicts of a group's conversations read straight from the pairing columns (groupStore.ts),
 * making no object: what verdict.ts decides, for the figures that only count (the summary's
 * verdict counts, how many conversations have a REJECT) and to pick the few groups worth judging
 * in full. Judging every group of a 50 MB log made 400,000 conversations of garbage and a string of
 * every address it named (the intern keeps those), for a handful of counts.
 *
 * A verdict does not depend on the order of the hops (verdict.ts `judge` asks whether some hop's
 * request or reply was rejected, whether there is a request and a reply at all), only on which
 * direction is the request (`orient`), and for a NAT gateway's joined outside leg, which of its
 * directions is (`conversationOf`). Both are read here as verdict.ts reads them;
 * test/unit/verdictTally.test.ts checks every group of the pairing scenarios against it.
 */
import { PLACE_STRIDE } from './group';
import { NO_ROW } from './groupColumns';
import { DirAction, HopBit, type GroupStore } from './groupStore';
import type { Verdict } from './model';

const NONE = -1;
const SYN = 2;
const ACK = 16;

/** What counting needs of one conversation. */
export interface ColumnVerdict {
  verdict: Verdict;
  /** Some record of the conversation was rejected (model.ts `hasReject`). */
  hasReject: boolean;
  /** Both a request and a reply are logged (a `response-rejected` one is then a reply-rejected problem). */
  bothWays: boolean;
  /** The line of its first record (documentConversations.ts `firstLine`): the order reports list conversations in. */
  firstLine: number;
}

/**
 * Calls `visit` with the verdict of each conversation `toConversations` makes of group `g`, in
 * its order: one for a joined group (a NAT outside leg or an intermediate hop), else one per hop.
 * `visit` is given the same object each time: read it, do not keep it.
 */
export function forEachColumnVerdict(store: GroupStore, g: number, logHasAccept: boolean, visit: (found: ColumnVerdict) => void): void {
  const found: ColumnVerdict = { verdict: 'accepted', hasReject: false, bothWays: false, firstLine: Infinity };
  if (store.conversationCount(g) === 1) {
    judgeHops(store, g, NONE, logHasAccept, found);
    visit(found);
    return;
  }
  for (let h = store.firstHop[g]; h !== NO_ROW; h = store.hopNext[h]) {
    judgeHops(store, g, h, logHasAccept, found);
    visit(found);
  }
}

/** The hops of a conversation: every hop of `g` (`only` NONE) or hop `only` alone. */
function firstOf(store: GroupStore, g: number, only: number): number {
  return only === NONE ? store.firstHop[g] : only;
}

function nextOf(store: GroupStore, h: number, only: number): number {
  return only === NONE ? store.hopNext[h] : NO_ROW;
}

/** Whether two interned ids name the same text (verdict.ts compares the strings). */
function sameValue(store: GroupStore, a: number, b: number): boolean {
  return a === b || (a !== NONE && b !== NONE && store.intern.value(a) === store.intern.value(b));
}

/** verdict.ts `orient`: whether a → b (the hops' forward direction) is the request. */
function forwardIsRequest(store: GroupStore, g: number, only: number): boolean {
  let forwardFlags = -1;
  let backwardFlags = -1;
  let forwardStart = -1;
  let backwardStart = -1;
  let forwardPlace = Infinity;
  let backwardPlace = Infinity;
  for (let h = firstOf(store, g, only); h !== NO_ROW; h = nextOf(store, h, only)) {
    const f = store.directionOf(h, true);
    if (f !== NO_ROW) {
      forwardFlags = orFlags(forwardFlags, store.tcpFlagsOf(f));
      forwardStart = earliest(forwardStart, store.numberOf(store.dirStart[f]));
      forwardPlace = Math.min(forwardPlace, store.dirLine[f] * PLACE_STRIDE + store.recordOf(f));
    }
    const b = store.directionOf(h, false);
    if (b !== NO_ROW) {
      backwardFlags = orFlags(backwardFlags, store.tcpFlagsOf(b));
      backwardStart = earliest(backwardStart, store.numberOf(store.dirStart[b]));
      backwardPlace = Math.min(backwardPlace, store.dirLine[b] * PLACE_STRIDE + store.recordOf(b));
    }
  }
  const opens = (flags: number): boolean => flags >= 0 && (flags & SYN) !== 0 && (flags & ACK) === 0;
  const answers = (flags: number): boolean => flags >= 0 && (flags & (SYN | ACK)) === (SYN | ACK);
  const forwardByFlags = opens(forwardFlags) || answers(backwardFlags);
  const backwardByFlags = opens(backwardFlags) || answers(forwardFlags);
  if (forwardByFlags !== backwardByFlags) return forwardByFlags;
  if (store.outsideOf(g) !== NONE) {
    let nat = NO_ROW;
    for (let h = firstOf(store, g, only); h !== NO_ROW && nat === NO_ROW; h = nextOf(store, h, only)) if ((store.hopBits[h] & HopBit.Intermediate) !== 0) nat = h;
    if (nat !== NO_ROW) {
      const standIn = store.hopStandIn[nat];
      const intoGateway = (forward: boolean): boolean => {
        const d = store.directionOf(nat, forward);
        return d !== NO_ROW && sameValue(store, store.dstOf(g, d, forward), standIn);
      };
      const forwardIn = intoGateway(true);
      if (forwardIn !== intoGateway(false)) return forwardIn;
    }
  }
  const aPort = store.numberOf(store.aPort[g]);
  const bPort = store.numberOf(store.bPort[g]);
  if (aPort >= 0 && bPort >= 0 && aPort !== bPort) {
    const aWellKnown = aPort > 0 && aPort < 1024;
    const bWellKnown = bPort > 0 && bPort < 1024;
    if (aWellKnown !== bWellKnown) return bWellKnown;
    return bPort < aPort;
  }
  if (forwardStart >= 0 && backwardStart >= 0 && forwardStart !== backwardStart) return forwardStart < backwardStart;
  return forwardPlace <= backwardPlace;
}

function orFlags(flags: number, tcpFlags: number): number {
  if (tcpFlags < 0) return flags;
  return flags < 0 ? tcpFlags : flags | tcpFlags;
}

function earliest(a: number, b: number): number {
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

/** verdict.ts `conversationOf` and `judge`, keeping only what decides the verdict. */
function judgeHops(store: GroupStore, g: number, only: number, logHasAccept: boolean, into: ColumnVerdict): void {
  const forward = forwardIsRequest(store, g, only);
  let request = false;
  let response = false;
  let rejectedRequest = false;
  let rejectedResponse = false;
  let firstLine = Infinity;
  const note = (requestDir: number, responseDir: number): void => {
    if (requestDir !== NO_ROW) {
      request = true;
      firstLine = Math.min(firstLine, store.dirLine[requestDir]);
      if ((store.dirAction[requestDir] & DirAction.Rejected) !== 0) rejectedRequest = true;
    }
    if (responseDir !== NO_ROW) {
      response = true;
      firstLine = Math.min(firstLine, store.dirLine[responseDir]);
      if ((store.dirAction[responseDir] & DirAction.Rejected) !== 0) rejectedResponse = true;
    }
  };
  let natAddress = NONE;
  let sawIntermediate = false;
  for (let h = firstOf(store, g, only); h !== NO_ROW; h = nextOf(store, h, only)) {
    note(store.directionOf(h, forward), store.directionOf(h, !forward));
    if (!sawIntermediate && (store.hopBits[h] & HopBit.Intermediate) !== 0) {
      sawIntermediate = true;
      natAddress = store.hopStandIn[h];
    }
  }
  const outside = store.outsideOf(g);
  if (outside !== NONE) {
    // Only the outside leg's first hop takes part, its request the direction leaving from the gateway's address.
    const h = store.firstHop[outside];
    const f = store.directionOf(h, true);
    const b = store.directionOf(h, false);
    const fromGateway = (d: number, forward: boolean): boolean => d !== NO_ROW && natAddress !== NONE && sameValue(store, store.srcOf(outside, d, forward), natAddress);
    const requestDir = fromGateway(f, true) || b === NO_ROW || !fromGateway(b, false) ? f : b;
    note(requestDir, requestDir === f ? b : f);
  }
  const anyRejected = rejectedRequest || rejectedResponse;
  into.hasReject = anyRejected;
  into.bothWays = request && response;
  into.firstLine = firstLine;
  if (anyRejected && !into.bothWays && !logHasAccept) into.verdict = 'one-way-log';
  else if (rejectedRequest) into.verdict = 'request-rejected';
  else if (rejectedResponse) into.verdict = 'response-rejected';
  else if (request && !response) into.verdict = 'no-response';
  else into.verdict = 'accepted';
}
