import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

/** A failed print is said plainly, never shown as printed. */
export function PrintingScreen() {
  const { snapshot, send, t } = useView();
  const r = snapshot.receipt;
  const status = r?.status ?? 'printing';
  const title =
    status === 'printed'
      ? t('printing.printed')
      : status === 'sent'
        ? r?.channel === 'push'
          ? t('printing.pushed')
          : t('printing.sent', { phone: r?.smsTo ?? '' })
        : status === 'failed'
          ? t('printing.failed')
          : t('printing.title');
  return (
    <ScreenFrame
      title={title}
      hint={status === 'printed' ? t('printing.takeHint') : r?.number ? t('receipt.number', { number: r.number }) : undefined}
      tone={status === 'failed' ? 'problem' : status === 'printed' || status === 'sent' ? 'success' : 'normal'}
      actions={
        status === 'printing' ? undefined : (
          <button type="button" className="btn btn-primary" onClick={() => send({ name: 'finish' })}>
            {t(status === 'printed' ? 'common.continue' : 'common.toStart')}
          </button>
        )
      }
    >
      <div className={`illustration receipt-paper receipt-${status}`} aria-hidden="true">
        <div className="paper">
          <span />
          <span />
          <span />
        </div>
      </div>
    </ScreenFrame>
  );
}
