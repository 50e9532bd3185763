/**
 * From a closed group to conversations: who started it (and by which rule), the path of hops, and
 * the verdict with its reason in words.
 *
 * Security groups are stateful: a reply to an allowed request is let through whatever the rules
 * say. Network ACLs are stateless: the reply is checked on its own. So an accepted request whose
 * reply was rejected points at a network ACL (the AWS VPC guide's ping example, "Security group
 * and network ACL rules").
 */
import { directionRecords, firstPlace, portless, type DirectionState, type Group, type HopState } from './group';
import type { Conversation, DirectionRecords, Endpoint, Hop, HopKind, InitiatorRule, Verdict } from './model';

export interface VerdictContext {
  /** The log holds at least one ACCEPT record (else it records rejected traffic only). */
  logHasAccept: boolean;
}

const SYN = 2;
const ACK = 16;

/** One conversation per interface for plain records; one with all hops when an intermediate interface joined them. */
export function toConversations(group: Group, context: VerdictContext): Conversation[] {
  if (conversationCount(group) === 1) return [conversationOf(group, group.hops, context)];
  return group.hops.map((hop) => conversationOf(group, [hop], context));
}

/** How many conversations `toConversations` makes of a group, without making them. */
export function conversationCount(group: Group): number {
  const joined = group.natOutside !== null || group.hops.some((h) => h.intermediate);
  return joined ? 1 : group.hops.length;
}

interface Orientation {
  /** a → b is the request direction. */
  forwardIsRequest: boolean;
  rule: InitiatorRule;
}

function orient(group: Group, hops: readonly HopState[]): Orientation {
  let forwardFlags = -1;
  let backwardFlags = -1;
  let forwardStart = -1;
  let backwardStart = -1;
  let forwardLine = Infinity;
  let backwardLine = Infinity;
  for (const hop of hops) {
    if (hop.forward) {
      forwardFlags = orFlags(forwardFlags, hop.forward);
      forwardStart = earliest(forwardStart, hop.forward.start);
      forwardLine = Math.min(forwardLine, firstPlace(hop.forward));
    }
    if (hop.backward) {
      backwardFlags = orFlags(backwardFlags, hop.backward);
      backwardStart = earliest(backwardStart, hop.backward.start);
      backwardLine = Math.min(backwardLine, firstPlace(hop.backward));
    }
  }
  // tcp-flags: SYN without ACK opens, SYN-ACK answers.
  const opens = (flags: number): boolean => flags >= 0 && (flags & SYN) !== 0 && (flags & ACK) === 0;
  const answers = (flags: number): boolean => flags >= 0 && (flags & (SYN | ACK)) === (SYN | ACK);
  const forwardByFlags = opens(forwardFlags) || answers(backwardFlags);
  const backwardByFlags = opens(backwardFlags) || answers(forwardFlags);
  if (forwardByFlags !== backwardByFlags) return { forwardIsRequest: forwardByFlags, rule: 'tcp-flags' };
  // A NAT gateway only translates flows started from behind it: the flow into the gateway towards the remote host is the request.
  const nat = group.natOutside ? hops.find((h) => h.intermediate && h.standIn !== null) : undefined;
  if (nat?.standIn) {
    const intoGateway = (state: DirectionState | null): boolean => state !== null && state.dstaddr === nat.standIn;
    if (intoGateway(nat.forward) !== intoGateway(nat.backward)) return { forwardIsRequest: intoGateway(nat.forward), rule: 'nat-gateway' };
  }
  // Ports: the well-known side is the server; else the lower port.
  if (group.aPort >= 0 && group.bPort >= 0 && group.aPort !== group.bPort) {
    const aWellKnown = group.aPort > 0 && group.aPort < 1024;
    const bWellKnown = group.bPort > 0 && group.bPort < 1024;
    if (aWellKnown !== bWellKnown) return { forwardIsRequest: bWellKnown, rule: 'well-known-port' };
    return { forwardIsRequest: group.bPort < group.aPort, rule: 'lower-port' };
  }
  // The earlier record: by start time, then by line and place on the line.
  if (forwardStart >= 0 && backwardStart >= 0 && forwardStart !== backwardStart) return { forwardIsRequest: forwardStart < backwardStart, rule: 'earlier-record' };
  return { forwardIsRequest: forwardLine <= backwardLine, rule: 'earlier-record' };
}

function orFlags(flags: number, state: DirectionState): number {
  if (state.tcpFlags < 0) return flags;
  return flags < 0 ? state.tcpFlags : flags | state.tcpFlags;
}

function earliest(a: number, b: number): number {
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

function conversationOf(group: Group, hopStates: readonly HopState[], context: VerdictContext): Conversation {
  const { forwardIsRequest, rule } = orient(group, hopStates);
  // Most conversations: one interface of an endpoint's own, nothing joined. The general way below
  // gives the same; this one makes no ranks to sort (the CLI judges millions).
  if (hopStates.length === 1 && !hopStates[0].intermediate && group.natOutside === null) {
    const state = hopStates[0];
    const request = forwardIsRequest ? state.forward : state.backward;
    const response = forwardIsRequest ? state.backward : state.forward;
    const hop: Hop = { interfaceId: state.interfaceId, kind: 'interface', request: request && directionRecords(request), response: response && directionRecords(response) };
    return conversationOfHops(group, [hop], hop, forwardIsRequest, rule, context);
  }
  const hops: { hop: Hop; rank: number }[] = hopStates.map((state) => {
    const request = forwardIsRequest ? state.forward : state.backward;
    const response = forwardIsRequest ? state.backward : state.forward;
    return {
      hop: { interfaceId: state.interfaceId, kind: 'interface' as HopKind, request: request && directionRecords(request), response: response && directionRecords(response) },
      rank: 0,
    };
  });
  const natGateway = group.natOutside !== null;
  hopStates.forEach((state, i) => {
    const entry = hops[i];
    if (!state.intermediate) entry.rank = natGateway ? 0 : 1;
    else if (natGateway && state.standIn !== null) {
      entry.hop.kind = 'nat-gateway';
      entry.rank = 1;
    } else {
      const oneWay = (entry.hop.request === null) !== (entry.hop.response === null);
      const otherWay = hops.some((other, j) => j !== i && hopStates[j].intermediate && other.hop.interfaceId !== entry.hop.interfaceId && (other.hop.request === null) !== (entry.hop.request === null));
      entry.hop.kind = oneWay && otherWay ? 'transit-gateway' : 'intermediate';
      entry.rank = entry.hop.request ? 0 : 2;
    }
  });
  const outside = group.natOutside;
  if (outside) {
    const state = outside.hops[0];
    const natAddress = hopStates.find((h) => h.intermediate)?.standIn;
    const forwardOut = state.forward !== null && state.forward.srcaddr === natAddress;
    const request = forwardOut || state.backward === null || state.backward.srcaddr !== natAddress ? state.forward : state.backward;
    const response = request === state.forward ? state.backward : state.forward;
    hops.push({ hop: { interfaceId: state.interfaceId, kind: 'nat-gateway', request: request && directionRecords(request), response: response && directionRecords(response) }, rank: 2 });
  }
  const ordered = hops.sort((x, y) => x.rank - y.rank).map((entry) => entry.hop);
  return conversationOfHops(group, ordered, ordered.find((h) => h.kind === 'interface') ?? ordered[0], forwardIsRequest, rule, context);
}

/** The conversation of hops in path order, `main` the one it is named by. */
function conversationOfHops(group: Group, ordered: Hop[], main: Hop, forwardIsRequest: boolean, rule: InitiatorRule, context: VerdictContext): Conversation {
  const request = main.request ?? ordered.find((h) => h.request)?.request ?? null;
  const response = main.response ?? ordered.find((h) => h.response)?.response ?? null;
  const a: Endpoint = endpoint(group.aAddr, group.aPort, group.protocol);
  const b: Endpoint = endpoint(group.bAddr, group.bPort, group.protocol);
  const { verdict, reason } = judge(ordered, request, response, context);
  return {
    protocol: group.protocol >= 0 ? group.protocol : null,
    initiator: forwardIsRequest ? a : b,
    responder: forwardIsRequest ? b : a,
    rule,
    interfaceId: main.interfaceId,
    request,
    response,
    verdict,
    reason,
    hops: ordered,
  };
}

function endpoint(addr: string, port: number, protocol: number): Endpoint {
  return { addr, port: port < 0 || portless(protocol) ? null : port };
}

const at = (records: DirectionRecords, line = records.line): string => `line ${line + 1}`;

function judge(hops: readonly Hop[], request: DirectionRecords | null, response: DirectionRecords | null, context: VerdictContext): { verdict: Verdict; reason: string } {
  const rejectedRequest = hops.find((h) => h.request?.action === 'REJECT')?.request ?? null;
  const rejectedResponse = hops.find((h) => h.response?.action === 'REJECT')?.response ?? null;
  const actionKnown = hops.some((h) => h.request?.action || h.response?.action);
  const oneWay = request === null || response === null;
  if ((rejectedRequest || rejectedResponse) && oneWay && !context.logHasAccept) {
    const rejected = (rejectedRequest ?? rejectedResponse) as DirectionRecords;
    return {
      verdict: 'one-way-log',
      reason: `This log holds no ACCEPT record, so it records rejected traffic only and the other direction cannot be in it: pairing is not possible. The ${rejectedRequest ? 'request' : 'reply'} was rejected (${at(rejected, rejected.rejectLine)}).`,
    };
  }
  if (rejectedRequest) {
    const answered = response ? `; a reply was logged too (${at(response)})` : ', so no reply could follow';
    return {
      verdict: 'request-rejected',
      reason: `The request was rejected (${at(rejectedRequest, rejectedRequest.rejectLine)}): a security group or a network ACL denied it${answered}.`,
    };
  }
  if (rejectedResponse) {
    const asked = request ? `The request was accepted (${at(request)}) but its reply was rejected` : `The reply was rejected and its request is not in this capture`;
    return {
      verdict: 'response-rejected',
      reason: `${asked} (${at(rejectedResponse, rejectedResponse.rejectLine)}): a network ACL, since security groups let replies out (they are stateful; network ACLs are not).`,
    };
  }
  const logged = actionKnown ? 'accepted' : 'logged';
  if (request && !response) {
    return {
      verdict: 'no-response',
      reason: `The request was ${logged} (${at(request)}) but no reply is in this capture: nothing answered, or the reply went through another interface or is in another file.`,
    };
  }
  if (!request && response) {
    return {
      verdict: 'accepted',
      reason: `Only the reply is in this capture (${at(response)}) and it was ${logged}; the request went through another interface or is in another file.`,
    };
  }
  const both = `the request (${at(request as DirectionRecords)}) and its reply (${at(response as DirectionRecords)})`;
  return actionKnown
    ? { verdict: 'accepted', reason: `Accepted both ways: ${both}.` }
    : { verdict: 'accepted', reason: `Both directions were logged: ${both}; the format has no action field, so a rejection would not show.` };
}
