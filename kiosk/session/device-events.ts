/**
 * Driver events -> session machine events. Card data is reduced to the masked PAN and the PAN
 * token here, at the edge.
 */
import type { SessionDevices } from './ports.js';
import type { SessionEvent } from './types.js';
import type { RejectReason } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { PalmGuidance } from '../../drivers/palm/palm-scanner.js';

/**
 * Subscribes to the devices' note, card and cash events; returns the unsubscribe. Health is not
 * read here: it comes from the DeviceSupervisor (start-session.ts), one set of rules for the
 * session, the start screen and the metrics.
 */
export function connectDevices(devices: SessionDevices, send: (e: SessionEvent) => void): () => void {
  const offs: Array<() => void> = [];

  const a = devices.cashAcceptor;
  if (a) {
    const onEscrow = (p: { denomination: number }) => send({ type: 'device.noteEscrow', denomination: p.denomination });
    const onStacked = (p: { denomination: number }) => send({ type: 'device.noteStacked', denomination: p.denomination });
    const onReturned = (p: { denomination: number }) => send({ type: 'device.noteReturned', denomination: p.denomination });
    const onRejected = (p: { reason: RejectReason }) =>
      send({ type: 'device.noteRejected', reason: p.reason });
    const onFailure = (p: { code: string }) => send({ type: 'device.acceptorFailure', code: p.code });
    const onJam = () => send({ type: 'device.acceptorFailure', code: 'jammed' });
    a.on('escrow', onEscrow).on('stacked', onStacked).on('returned', onReturned).on('rejected', onRejected);
    a.on('failure', onFailure).on('jammed', onJam).on('cassetteFull', onJam).on('cassetteRemoved', onJam);
    offs.push(() => {
      a.off('escrow', onEscrow).off('stacked', onStacked).off('returned', onReturned).off('rejected', onRejected);
      a.off('failure', onFailure).off('jammed', onJam).off('cassetteFull', onJam).off('cassetteRemoved', onJam);
    });
  }

  const d = devices.dispenser;
  if (d) {
    const onTaken = () => send({ type: 'device.cashTaken' });
    d.on('taken', onTaken);
    offs.push(() => d.off('taken', onTaken));
  }

  const r = devices.cardReader;
  if (r) {
    const onInserted = (p: { card: { maskedPan: string; panToken: string } } | { error: 'badLrc' | 'unreadable' | 'notBankCard' | 'expired' }) => {
      if ('card' in p) send({ type: 'device.cardInserted', card: { maskedPan: p.card.maskedPan, panToken: p.card.panToken } });
      else send({ type: 'device.cardReadError', error: p.error });
    };
    const onRemoved = () => send({ type: 'device.cardRemoved' });
    r.on('cardInserted', onInserted).on('cardRemoved', onRemoved);
    offs.push(() => r.off('cardInserted', onInserted).off('cardRemoved', onRemoved));
  }

  const palm = devices.palm;
  if (palm) {
    const onGuidance = (g: { guidance: PalmGuidance }) => send({ type: 'device.palmGuidance', guidance: g.guidance });
    palm.on('guidance', onGuidance);
    offs.push(() => palm.off('guidance', onGuidance));
  }

  return () => offs.forEach((off) => off());
}
