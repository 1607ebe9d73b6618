import { useCallback, useState } from 'react';
import type { z } from 'zod';
import type { ServiceLookupView } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { Keypad } from '../components/Keypad.js';
import { ScreenFrame } from '../components/Layout.js';
import { BackToMenu, Notice, useServiceAction } from './ServiceEntryParts.js';

type View = z.infer<typeof ServiceLookupView>;

/** digits of a receipt number: its sequence (1-6), or date and sequence (14) */
const MAX_DIGITS = 14;

/**
 * Dispute look-up (bank rules 11.3): type the number, see the receipt as it reads on paper, print
 * a copy (marked as one). An unknown number says so and leaves the field for another try.
 */
export function ServiceReceiptLookupScreen({ view, onBack }: { view: View; onBack(): void }) {
  // a new answer (a refusal naming what was typed) starts a fresh field
  return view.stage === 'found' ? <Found view={view} onBack={onBack} /> : <EnterNumber key={`${view.typed ?? ''}/${view.refusal?.code ?? ''}`} view={view} onBack={onBack} />;
}

function EnterNumber({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const act = useServiceAction();
  const [digits, setDigits] = useState('');
  const onDigit = useCallback((d: string) => setDigits((cur) => (cur.length < MAX_DIGITS ? cur + d : cur)), []);
  const onDelete = useCallback(() => setDigits((cur) => cur.slice(0, -1)), []);
  const onClear = useCallback(() => setDigits(''), []);
  const ready = digits.length > 0 && /[1-9]/.test(digits);
  const onEnter = useCallback(() => {
    if (ready) act('lookupReceipt', { receiptNumber: digits });
  }, [act, digits, ready]);
  const refusal = view.refusal;
  return (
    <ScreenFrame
      title={t('service.lookup.title')}
      hint={t('service.lookup.hint')}
      actions={
        <>
          <BackToMenu onBack={onBack} />
          <button type="button" className="btn btn-primary" disabled={!ready} onClick={onEnter}>
            {t('service.lookup.find')}
          </button>
        </>
      }
    >
      <div className="entry-layout">
        <div className="entry-side">
          <div className="entry">
            <output className={refusal && digits === '' ? 'field field-bad' : 'field'} aria-label={t('service.lookup.field')} aria-live="polite">
              {digits || <span className="placeholder">{view.typed ?? '000123'}</span>}
            </output>
            <p className="field-problem" role="alert">
              {refusal ? t(refusal.code === 'badNumber' ? 'service.refusal.badNumber' : 'service.refusal.unknownReceipt', { number: view.typed ?? '' }) : ''}
            </p>
          </div>
        </div>
        <Keypad onDigit={onDigit} onDelete={onDelete} onClear={onClear} onEnter={onEnter} />
      </div>
    </ScreenFrame>
  );
}

function Found({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const act = useServiceAction();
  const number = view.receiptNumber ?? '';
  return (
    <ScreenFrame
      title={t('service.receiptNumber', { number })}
      actions={
        <>
          <BackToMenu onBack={onBack} />
          <button type="button" className="btn btn-secondary" onClick={() => act('lookupReceipt')}>
            {t('service.lookup.another')}
          </button>
          <button type="button" className="btn btn-primary" disabled={view.printerUsable === false} onClick={() => act('printReceiptCopy', { receiptNumber: number })}>
            {t('service.lookup.printCopy')}
          </button>
        </>
      }
    >
      {view.copy ? (
        view.copy.printed ? <Notice tone="ok">{t('service.lookup.copyPrinted')}</Notice> : <Notice tone="problem">{t('service.lookup.copyFailed')}</Notice>
      ) : null}
      {view.printerUsable === false ? <Notice tone="problem">{t('service.printerUnusable')}</Notice> : null}
      {view.delivery ? <p className={`service-delivery delivery-${view.delivery}`}>{t(`service.lookup.delivery.${view.delivery}`)}</p> : null}
      {/* focusable: the paper scrolls, and a keyboard must be able to scroll it too */}
      <pre className="receipt-paper" role="region" aria-label={t('service.lookup.paper')} tabIndex={0}>
        {(view.lines ?? []).join('\n')}
      </pre>
    </ScreenFrame>
  );
}
