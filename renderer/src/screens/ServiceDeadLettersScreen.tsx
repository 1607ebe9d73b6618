import { useState } from 'react';
import { z } from 'zod';
import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { BackToMenu, Notice, useMoneyText } from './ServiceEntryParts.js';

/** the core's list as the dead-letter screen reads it (kiosk/service-mode/service-mode.ts `undeliveredList`) */
const Letter = z.object({
  key: z.string(),
  kind: z.string(),
  state: z.string(),
  receiptNumber: z.string().nullable(),
  amount: z.number().int(),
  reason: z.string().nullable(),
  resolutions: z.array(z.object({ resolution: z.enum(['retried', 'closed']), comment: z.string().optional(), who: z.string(), at: z.string() })),
});
export const DeadLettersView = z.object({
  action: z.enum(['deadLetters', 'resolveDeadLetter', 'printDeadLetter']),
  undelivered: z.array(Letter),
  ok: z.boolean().optional(),
  key: z.string().optional(),
  resolution: z.enum(['retried', 'closed']).optional(),
  refusal: z.object({ code: z.string() }).optional(),
  slip: z.object({ printed: z.boolean() }).optional(),
});
type View = z.infer<typeof DeadLettersView>;

/** at least this many characters say what was done (dead-letters.ts COMMENT_MIN) */
const COMMENT_MIN = 5;

/**
 * What the bank refused and what is still queued: a refused message can be retried once the bank's
 * side is fixed, or closed with a written comment (the money row stays), and its slip printed.
 */
export function ServiceDeadLettersScreen({ view, onBack }: { view: View; onBack(): void }) {
  const { t, send, snapshot } = useView();
  const money = useMoneyText();
  const [comments, setComments] = useState<Record<string, string>>({});
  const act = (action: 'resolveDeadLetter' | 'printDeadLetter', params: Record<string, string>): void =>
    send({ name: 'serviceAction', payload: { action, params: { ...params, locale: snapshot.locale } } });
  const outcome = view.action === 'deadLetters' ? undefined : view;
  return (
    <ScreenFrame title={t('service.deadLetters.title')} actions={<BackToMenu onBack={onBack} />}>
      {outcome?.refusal ? (
        <Notice tone="problem">{t(`service.deadLetters.refusal.${refusalKey(outcome.refusal.code)}`)}</Notice>
      ) : outcome?.action === 'resolveDeadLetter' && outcome.resolution ? (
        <Notice tone="ok">{t(`service.deadLetters.done.${outcome.resolution}`)}</Notice>
      ) : outcome?.action === 'printDeadLetter' ? (
        outcome.slip?.printed ? <Notice tone="ok">{t('service.slipPrinted')}</Notice> : <Notice tone="problem">{t('service.printerUnusable')}</Notice>
      ) : null}
      {view.undelivered.length === 0 ? <Notice tone="ok">{t('service.deadLetters.none')}</Notice> : null}
      <ul className="dead-letters">
        {view.undelivered.map((m) => {
          const comment = comments[m.key] ?? '';
          const dead = m.state === 'deadLetter';
          return (
            <li key={m.key} className="dead-letter" data-key={m.key} data-state={m.state}>
              <dl className="summary compact">
                <div>
                  <dt>{t('service.deadLetters.kind')}</dt>
                  <dd>{m.kind}</dd>
                </div>
                {m.receiptNumber ? (
                  <div>
                    <dt>{t('service.deadLetters.receipt')}</dt>
                    <dd>{m.receiptNumber}</dd>
                  </div>
                ) : null}
                <div>
                  <dt>{t('service.deadLetters.amount')}</dt>
                  <dd>{money(m.amount)}</dd>
                </div>
                <div>
                  <dt>{t('service.deadLetters.state')}</dt>
                  <dd>{t(dead ? 'service.deadLetters.refused' : 'service.deadLetters.queued')}</dd>
                </div>
                {m.reason ? (
                  <div>
                    <dt>{t('service.deadLetters.reason')}</dt>
                    <dd>{m.reason}</dd>
                  </div>
                ) : null}
              </dl>
              {m.resolutions.length > 0 ? (
                <ul className="dead-letter-resolutions">
                  {m.resolutions.map((r) => (
                    <li key={`${r.at}-${r.resolution}`}>
                      {t(`service.deadLetters.done.${r.resolution}`)} · {r.who} · {r.at.slice(0, 16).replace('T', ' ')}
                      {r.comment ? ` · ${r.comment}` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
              {dead ? (
                <div className="dead-letter-actions">
                  <label>
                    {t('service.deadLetters.comment')}
                    <textarea value={comment} maxLength={500} rows={2} onChange={(e) => setComments({ ...comments, [m.key]: e.target.value })} />
                  </label>
                  <button type="button" className="btn btn-secondary" onClick={() => act('resolveDeadLetter', { key: m.key, resolution: 'retry' })}>
                    {t('service.deadLetters.retry')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={comment.trim().length < COMMENT_MIN}
                    onClick={() => act('resolveDeadLetter', { key: m.key, resolution: 'close', comment: comment.trim() })}
                  >
                    {t('service.deadLetters.close')}
                  </button>
                  <button type="button" className="btn btn-secondary" onClick={() => act('printDeadLetter', { key: m.key })}>
                    {t('service.deadLetters.print')}
                  </button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </ScreenFrame>
  );
}

const REFUSALS = ['unknownMessage', 'notDeadLetter', 'commentRequired', 'commentHoldsCardNumber'] as const;
const refusalKey = (code: string): (typeof REFUSALS)[number] | 'other' => REFUSALS.find((r) => r === code) ?? 'other';
