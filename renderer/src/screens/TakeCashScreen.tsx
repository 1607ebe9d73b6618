import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

export function TakeCashScreen() {
  const { t } = useView();
  return (
    <ScreenFrame title={t('takeCash.title')} hint={t('takeCash.hint')} tone="success">
      <div className="illustration presenter" aria-hidden="true">
        <div className="slot" />
        <div className="bills-out">
          <div className="bill" />
          <div className="bill" />
        </div>
        <div className="arrow-down">▼</div>
      </div>
    </ScreenFrame>
  );
}
