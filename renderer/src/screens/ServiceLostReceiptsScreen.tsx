import type { z } from 'zod';
import type { ServiceLostReceiptsView } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { ScreenFrame } from '../components/Layout.js';
import { BackToMenu, Notice, useServiceAction } from './ServiceEntryParts.js';

type View = z.infer<typeof ServiceLostReceiptsView>;

/** the receipt operations the customer's receipts name, as the operations menu calls them */
const OPERATION: Record<string, MessageKey> = {
  cashIn: 'op.cashIn',
  servicePayment: 'op.payService',
  servicePaymentReverse: 'op.payService',
  withdrawal: 'op.withdraw',
  withdrawalReverse: 'op.withdraw',
  pinChange: 'op.changePin',
};

/** the terminal's local date and time, to the minute */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * Receipts whose print did not finish (the terminal stopped mid-print, or the printer failed), with
 * the SMS sent instead where the customer's phone was known; each can be reprinted as a marked copy.
 */
export function ServiceLostReceiptsScreen({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const act = useServiceAction();
  const operation = (op: string): string => {
    const key = OPERATION[op];
    if (!key) return op;
    return op.endsWith('Reverse') ? t('service.lost.reversal', { operation: t(key) }) : t(key);
  };
  return (
    <ScreenFrame title={t('service.lost.title')} hint={t('service.lost.hint')} actions={<BackToMenu onBack={onBack} />}>
      {view.reprint ? (
        view.reprint.printed ? (
          <Notice tone="ok">{t('service.lost.copyPrinted', { number: view.reprint.receiptNumber })}</Notice>
        ) : (
          <Notice tone="problem">{t('service.lost.copyFailed', { number: view.reprint.receiptNumber })}</Notice>
        )
      ) : null}
      {view.refusal ? (
        <Notice tone="problem">{view.refusal.code === 'notPermitted' ? t('service.lost.noReprint') : t('service.refusal.unknownReceipt', { number: '' })}</Notice>
      ) : null}
      {view.printerUsable ? null : <Notice tone="problem">{t('service.printerUnusable')}</Notice>}
      {view.mayReprint ? null : <Notice tone="problem">{t('service.lost.noReprint')}</Notice>}
      {view.receipts.length === 0 ? (
        <p className="service-empty">{t('service.lost.empty')}</p>
      ) : (
        <ul className="lost-receipts">
          {view.receipts.map((r) => (
            <li key={`${r.receiptNumber}/${r.startedAt}`} className="lost-receipt" data-receipt={r.receiptNumber} data-state={r.state}>
              <p className="lost-receipt-title">
                {t('service.receiptNumber', { number: r.receiptNumber })} · {operation(r.operation)} · {localTime(r.startedAt)}
              </p>
              <p className="lost-receipt-state">{t(r.state === 'lost' ? 'service.lost.state.lost' : 'service.lost.state.failed')}</p>
              <p className={r.sms ? `service-delivery delivery-${r.sms}` : 'service-delivery'}>{r.sms ? t(`service.lost.sms.${r.sms}`) : t('service.lost.noSms')}</p>
              {view.mayReprint ? (
                <button type="button" className="btn btn-primary" disabled={!view.printerUsable} onClick={() => act('lostReceipts', { receiptNumber: r.receiptNumber })}>
                  {t('service.lookup.printCopy')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </ScreenFrame>
  );
}
