import { useState } from 'react';
import type { z } from 'zod';
import type { ServiceOpenWithdrawalsView } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { BackToMenu, Notice, SlipOutcome, useMoneyText, useServiceAction, useUnitName } from './ServiceEntryParts.js';

type View = z.infer<typeof ServiceOpenWithdrawalsView>;

/** at least this many characters say what was found (dead-letters.ts COMMENT_MIN, shared by the core) */
const COMMENT_MIN = 5;

/** the terminal's local date and time, to the minute */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * Withdrawals the terminal stopped in, left for the technician: the bank holds the money until
 * one is decided, with a comment, as received by the customer (debited) or never out of the
 * terminal (hold released). The core checks everything again; the screen only asks.
 */
export function ServiceOpenWithdrawalsScreen({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const act = useServiceAction();
  const money = useMoneyText();
  const unitName = useUnitName();
  const [comments, setComments] = useState<Record<string, string>>({});
  const decided = view.decision;
  return (
    <ScreenFrame title={t('service.open.title')} hint={t('service.open.hint')} actions={<BackToMenu onBack={onBack} />}>
      {decided ? (
        <>
          <Notice tone="ok">{t(`service.open.done.${decided.decision}`, { id: decided.withdrawalId, number: decided.receiptNumber })}</Notice>
          <SlipOutcome slip={decided.slip} />
        </>
      ) : null}
      {view.refusal ? <Notice tone="problem">{t(`service.refusal.${view.refusal.code}`, { number: '' })}</Notice> : null}
      {view.printerUsable ? null : <Notice tone="problem">{t('service.printerUnusable')}</Notice>}
      {view.withdrawals.length === 0 ? (
        <p className="service-empty">{t('service.open.empty')}</p>
      ) : (
        <ul className="open-withdrawals">
          {view.withdrawals.map((w) => {
            const comment = comments[w.withdrawalId] ?? '';
            const decide = (decision: 'received' | 'notDispensed'): void => act('openWithdrawals', { withdrawalId: w.withdrawalId, decision, comment: comment.trim() });
            return (
              <li key={w.withdrawalId} className="open-withdrawal" data-withdrawal={w.withdrawalId} data-state={w.state}>
                <dl className="summary compact">
                  <div>
                    <dt>{t('service.open.amount')}</dt>
                    <dd>{money(w.amount)}</dd>
                  </div>
                  <div>
                    <dt>{t('service.open.when')}</dt>
                    <dd>{localTime(w.authorisedAt)}</dd>
                  </div>
                  {w.label ? (
                    <div>
                      <dt>{t('service.open.customer')}</dt>
                      <dd>{w.label}</dd>
                    </div>
                  ) : null}
                </dl>
                <p className="open-withdrawal-known">{t(`service.open.known.${w.known}`, { count: w.notesCounted })}</p>
                <label>
                  {t('service.open.comment')}
                  <textarea value={comment} maxLength={500} rows={2} onChange={(e) => setComments({ ...comments, [w.withdrawalId]: e.target.value })} />
                </label>
                <div className="dead-letter-actions">
                  <button type="button" className="btn btn-primary" disabled={comment.trim().length < COMMENT_MIN} onClick={() => decide('received')}>
                    {t('service.open.received')}
                  </button>
                  <button type="button" className="btn btn-secondary" disabled={comment.trim().length < COMMENT_MIN} onClick={() => decide('notDispensed')}>
                    {t('service.open.notDispensed')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {view.counters.length > 0 ? (
        <section aria-label={t('service.open.counters')}>
          <h2 className="section">{t('service.open.counters')}</h2>
          <dl className="summary compact">
            {view.counters.map((c) => (
              <div key={`${c.unit}/${c.denomination}`}>
                <dt>
                  {unitName(c.unit)} · {money(c.denomination)}
                </dt>
                <dd>{c.count}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
    </ScreenFrame>
  );
}
