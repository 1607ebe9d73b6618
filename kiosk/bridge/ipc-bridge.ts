/**
 * The bridge over Electron's utility-process port: main forks the core and relays between the
 * window and this port. The core does not import electron; it sees only this small interface,
 * which `process.parentPort` satisfies inside a utility process.
 */
import { BridgeLink, type BridgeLinkHooks } from './bridge-link.js';
import type { SessionHost } from './session-host.js';

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off?(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** `process.parentPort` when running as an Electron utility process, else undefined */
export function electronParentPort(): ParentPortLike | undefined {
  // read through globalThis: this folder also compiles for the browser, where there is no process
  const port = (globalThis as unknown as { process?: { parentPort?: ParentPortLike } }).process?.parentPort;
  return port && typeof port.postMessage === 'function' ? port : undefined;
}

export function attachParentPort(port: ParentPortLike, host: SessionHost, hooks: BridgeLinkHooks = {}): () => void {
  const link = new BridgeLink(host, (message) => port.postMessage(message), hooks);
  // main already validated the message; it is checked again because this is a process boundary
  const listener = (event: { data: unknown }): void => link.receiveMessage(event.data);
  port.on('message', listener);
  link.open();
  return () => {
    port.off?.('message', listener);
    link.close();
  };
}
