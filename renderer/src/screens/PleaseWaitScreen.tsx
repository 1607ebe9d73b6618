import { useView } from '../app/view-context.js';

export function PleaseWaitScreen({ reconnecting = false }: { reconnecting?: boolean }) {
  const { t } = useView();
  return (
    <div className="screen status-screen" aria-busy="true">
      <div className="spinner" aria-hidden="true" />
      <h1 className="title">{t('pleaseWait.title')}</h1>
      {reconnecting ? <p className="hint">{t('pleaseWait.reconnecting')}</p> : null}
    </div>
  );
}
