/** What every screen reads: the snapshot, the way to send intents, translation and the clock. */
import { createContext, useContext } from 'react';
import type { Intent, Snapshot } from '../../../kiosk/bridge/schema.js';
import type { Translate } from '../i18n/i18n.js';

export interface View {
  snapshot: Snapshot;
  send(intent: Intent): void;
  t: Translate;
}

export const ViewContext = createContext<View | null>(null);

export function useView(): View {
  const view = useContext(ViewContext);
  if (!view) throw new Error('useView outside a ViewContext provider');
  return view;
}

/** A fixed "now" for fixture screenshots; live screens leave it null and follow the wall clock. */
export const FrozenClock = createContext<number | null>(null);
