import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

/** Why not (error.code), and what to do next: a refusal is never a dead end (bank rules 10.1). */
export function RefusalScreen() {
  const { snapshot, send, t } = useView();
  const code = snapshot.error?.code ?? 'internal';
  return (
    <ScreenFrame
      title={t('refusal.title')}
      tone="problem"
      back
      actions={
        <button type="button" className="btn btn-primary" onClick={() => send({ name: 'finish' })}>
          {t('common.toStart')}
        </button>
      }
    >
      <div className="problem-mark" aria-hidden="true">!</div>
      <p className="reason" role="alert" data-code={code}>
        {t(`error.${code}.reason`)}
      </p>
      <h2 className="section">{t('refusal.next')}</h2>
      <p className="next-step">{t(`error.${code}.next`)}</p>
      {snapshot.receipt?.number ? <p className="hint">{t('receipt.number', { number: snapshot.receipt.number })}</p> : null}
    </ScreenFrame>
  );
}
