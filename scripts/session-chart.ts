/**
 * `npm run chart`: regenerates the state diagrams in docs/session-chart.md from the session's
 * machines themselves: the parent (kiosk/session/machine.ts) and every flow machine it invokes at
 * `children.flow`. Only the blocks between `<!-- chart:NAME -->` and `<!-- /chart:NAME -->` are
 * written; the prose around them is the doc's own. `npm run chart -- --check` exits 1 when the
 * committed file is not what the machines say (tests/unit/session/chart.test.ts runs the same check).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine, StateNode } from 'xstate';
import { createSessionMachine } from '../kiosk/session/machine.js';
import { FLOW_ID } from '../kiosk/session/machine-kit.js';
import { defaultTimeouts, type SessionConfig } from '../kiosk/session/ports.js';

export const CHART_PATH = join(dirname(fileURLToPath(import.meta.url)), '../docs/session-chart.md');

/** the machines do not draw differently by configuration: any valid one will do */
const config: SessionConfig = {
  terminalId: 'chart',
  localeDefault: 'kk',
  identificationMethods: ['phone', 'iin', 'card', 'palm', 'qr'],
  timeouts: defaultTimeouts,
  offlineCaps: { perPayment: 0, total: 0 },
  acceptedDenominations: [],
  withdrawal: { presets: [], multipleOf: 1, max: 0 },
  otpLength: 6,
};

type Node = StateNode<never, never>;

/** a mermaid id for a state: its path below the machine's root (the parent's screens without their `session_flow_` plumbing) */
const idOf = (node: Node): string => (node.path.join('_') || node.machine.id).replace(/^session_flow_/, '').replace(/^session_/, '');

/** what a transition is taken on, as a reader says it */
function label(eventType: string, guard: unknown): string {
  let on = eventType;
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (actor) on = actor[2] === FLOW_ID ? `flow ${actor[1] === 'done' ? 'ended' : 'failed'}` : `${actor[2]} ${actor[1] === 'done' ? 'done' : 'failed'}`;
  else if (after) on = `after ${after[1]}`;
  else if (eventType === '') on = '';
  const named = typeof guard === 'string' ? guard : typeof guard === 'object' && guard !== null && 'type' in guard ? String((guard as { type: unknown }).type) : undefined;
  const params = typeof guard === 'object' && guard !== null && 'params' in guard ? (guard as { params?: { to?: string } }).params?.to : undefined;
  const cond = named ? `[${named}${params ? ` ${params}` : ''}]` : '';
  return [on, cond].filter(Boolean).join(' ');
}

/** the innermost state that holds both ends of a transition: where mermaid must be told of it */
function scopeOf(source: Node, target: Node): Node {
  for (let n: Node | undefined = source; n; n = n.parent as Node | undefined) {
    if (n.path.every((key, i) => target.path[i] === key)) return n;
  }
  return source.machine.root as unknown as Node;
}

/** every transition of a machine that goes somewhere, as `from --> to: label`, by the state whose block it belongs in */
function transitionsByScope(machine: AnyStateMachine): Map<Node, string[]> {
  const byScope = new Map<Node, string[]>();
  const visit = (node: Node): void => {
    const add = (eventType: string, defs: ReadonlyArray<{ target?: ReadonlyArray<Node> | undefined; guard?: unknown; reenter?: boolean }>) => {
      // the machine's own handlers (e.g. cancel from any state) are told in the prose beside the chart
      if (node.path.length === 0) return;
      for (const t of defs) {
        for (const target of t.target ?? []) {
          if (target === node && !t.reenter) continue;
          const text = label(eventType, t.guard);
          const scope = scopeOf(node, target);
          const lines = byScope.get(scope) ?? [];
          const line = `${idOf(node)} --> ${idOf(target)}${text ? `: ${text}` : ''}`;
          if (!lines.includes(line)) lines.push(line);
          byScope.set(scope, lines);
        }
      }
    };
    for (const [eventType, defs] of node.transitions) add(eventType, defs as never);
    add('', (node.always ?? []) as never);
    for (const child of Object.values(node.states) as Node[]) visit(child);
  };
  visit(machine.root as unknown as Node);
  return byScope;
}

/**
 * A compound or parallel node's block: its children (nested), its initial state, then the
 * transitions whose ends both lie inside it (declared where mermaid places both ends).
 */
function body(node: Node, indent: string, edges: Map<Node, string[]>): string[] {
  const out: string[] = [];
  const children = Object.values(node.states) as Node[];
  if (node.type === 'parallel') {
    children.forEach((child, i) => {
      if (i > 0) out.push(`${indent}--`);
      out.push(...declare(child, indent, edges));
    });
  } else {
    const initial = node.initial?.target?.[0] as Node | undefined;
    if (initial) out.push(`${indent}[*] --> ${idOf(initial)}`);
    for (const child of children) out.push(...declare(child, indent, edges));
  }
  for (const line of edges.get(node) ?? []) out.push(`${indent}${line}`);
  return out;
}

function declare(node: Node, indent: string, edges: Map<Node, string[]>): string[] {
  const out: string[] = [];
  const flow = node.invoke.find((i) => i.id === FLOW_ID);
  if (Object.keys(node.states).length > 0) out.push(`${indent}state ${idOf(node)} {`, ...body(node, `${indent}  `, edges), `${indent}}`);
  else out.push(`${indent}${idOf(node)}`);
  if (flow) out.push(`${indent}note right of ${idOf(node)}: runs the ${String(flow.src)} machine`);
  if (node.type === 'final') out.push(`${indent}${idOf(node)} --> [*]`);
  return out;
}

/** one machine as a mermaid state diagram */
export function diagram(machine: AnyStateMachine): string {
  return ['```mermaid', 'stateDiagram-v2', ...body(machine.root as unknown as Node, '  ', transitionsByScope(machine)), '```'].join('\n');
}

/** the parent machine and, by the name they are invoked under, the flow machines it runs */
export function sessionMachines(): Record<string, AnyStateMachine> {
  const parent = createSessionMachine({ config, now: () => 0, newSessionId: () => 'chart' });
  const machines: Record<string, AnyStateMachine> = { parent };
  const actors = parent.implementations.actors as Record<string, unknown>;
  const visit = (node: Node): void => {
    for (const i of node.invoke) {
      const logic = typeof i.src === 'string' ? actors[i.src] : undefined;
      if (i.id === FLOW_ID && logic && typeof logic === 'object' && 'root' in logic) machines[String(i.src)] = logic as AnyStateMachine;
    }
    for (const child of Object.values(node.states) as Node[]) visit(child);
  };
  visit(parent.root as unknown as Node);
  return machines;
}

/** the doc with every chart block replaced by what the machines say now */
export function renderChart(doc: string): string {
  const machines = sessionMachines();
  const missing = Object.keys(machines).filter((name) => !doc.includes(`<!-- chart:${name} -->`));
  if (missing.length > 0) throw new Error(`docs/session-chart.md has no block for ${missing.join(', ')}`);
  return doc.replace(/<!-- chart:(\w+) -->[\s\S]*?<!-- \/chart:\1 -->/g, (block, name: string) => {
    const machine = machines[name];
    if (!machine) throw new Error(`docs/session-chart.md has a block for ${name}, which no machine is`);
    return `<!-- chart:${name} -->\n${diagram(machine)}\n<!-- /chart:${name} -->`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(CHART_PATH, 'utf8');
  const next = renderChart(doc);
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/session-chart.md is not current: run npm run chart');
      process.exit(1);
    }
  } else {
    writeFileSync(CHART_PATH, next);
  }
}
