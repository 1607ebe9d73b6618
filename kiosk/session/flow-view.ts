/**
 * The session as one chart, read from the parent machine's snapshot and the flow machine it runs
 * (at `children.flow`, see machine-kit.ts). The bridge snapshot, the runtime and the tests read a
 * session only through these, never through the children's plumbing.
 */
import type { AnyMachineSnapshot, EventObject, StateValue } from 'xstate';
import { FLOW_ID } from './machine-kit.js';
import type { SessionContext, SessionTag } from './types.js';

/** the snapshot of the flow machine the parent runs now, if any */
export function activeFlow(snapshot: AnyMachineSnapshot): AnyMachineSnapshot | undefined {
  const child = (snapshot.children as Record<string, { getSnapshot(): unknown } | undefined>)[FLOW_ID];
  const s = child?.getSnapshot() as Partial<AnyMachineSnapshot> | undefined;
  return s && typeof s === 'object' && 'machine' in s && s.status === 'active' ? (s as AnyMachineSnapshot) : undefined;
}

/** the running flow's context, when the running flow is the machine with this id */
export function flowContext<C>(snapshot: AnyMachineSnapshot, machineId: string): C | undefined {
  const flow = activeFlow(snapshot);
  return flow?.machine.id === machineId ? (flow.context as C) : undefined;
}

/**
 * The session's context as one bag: the parent's, overlaid with the running flow's (a flow's view
 * fields, e.g. `pinChange`, `cashIn`, `error`, have the names the parent keeps them under once the
 * flow has ended, so a reader sees one context before, during and after a flow).
 */
export function sessionContext(snapshot: AnyMachineSnapshot): SessionContext {
  const flow = activeFlow(snapshot);
  const own = snapshot.context as SessionContext;
  return flow ? { ...own, ...(flow.context as Partial<SessionContext>) } : own;
}

/** the state that invokes the running flow */
function flowHostNode(snapshot: AnyMachineSnapshot) {
  return snapshot._nodes.find((n) => n.invoke.some((i) => i.id === FLOW_ID));
}

/** the path of the state that invokes the running flow */
function flowHost(snapshot: AnyMachineSnapshot): string[] | undefined {
  return flowHostNode(snapshot)?.path;
}

/**
 * Where the running flow's value goes in the session's value: in place of its host state, or,
 * for a host marked `flowInPlace` (identification), in place of the host's region, so the flow's
 * own top states (`identify`, `otp`) stand where they stood as the parent's states.
 */
function graftPath(snapshot: AnyMachineSnapshot): string[] | undefined {
  const node = flowHostNode(snapshot);
  if (!node) return undefined;
  const inPlace = (node.meta as { flowInPlace?: boolean } | undefined)?.flowInPlace === true;
  return inPlace ? node.path.slice(0, -1) : node.path;
}

/**
 * The moment between a flow's end and the parent taking it back (its done event is queued
 * behind the step that ended it): the parent still sits in the state that ran the flow. Nothing
 * on screen belongs to that moment, so the host publishes no snapshot of it.
 */
export function inHandover(snapshot: AnyMachineSnapshot): boolean {
  return flowHost(snapshot) !== undefined && activeFlow(snapshot) === undefined;
}

function graft(value: StateValue | undefined, path: string[], sub: StateValue): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) return sub;
  const inner = typeof value === 'object' ? value[head] : undefined;
  return { ...(typeof value === 'object' ? value : {}), [head]: graft(inner, rest, sub) };
}

/** the parent's state value with the running flow's value in place of the state that runs it: one chart's value */
export function sessionValue(snapshot: AnyMachineSnapshot): StateValue {
  const flow = activeFlow(snapshot);
  const host = graftPath(snapshot);
  if (!flow || !host) return snapshot.value;
  return graft(snapshot.value, host, sessionValue(flow));
}

/** a fact about the session's current state, whether the parent's or the running flow's state carries it */
export function sessionHasTag(snapshot: AnyMachineSnapshot, tag: SessionTag): boolean {
  if (snapshot.hasTag(tag)) return true;
  const flow = activeFlow(snapshot);
  return flow ? sessionHasTag(flow, tag) : false;
}

/**
 * Would the session act on this UI event where it is now (guards evaluated)? An event the running
 * flow handles is the flow's to take: the parent only passes it on. The inactivity region restarts
 * its timer on every UI event; that restart alone is not the event being taken, except for
 * moreTime, whose whole point it is.
 */
export function sessionTakes(snapshot: AnyMachineSnapshot, event: EventObject): boolean {
  const flow = activeFlow(snapshot);
  if (flow?.machine.root.events.includes(event.type)) return sessionTakes(flow, event);
  return snapshot.machine
    .getTransitionData(snapshot, event)
    .some((t) => (t.target !== undefined || t.actions.length > 0) && !(t.source.path.includes('inactivity') && t.actions.length === 0 && event.type !== 'moreTime'));
}
