import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

export function DispensingScreen() {
  const { t } = useView();
  return (
    <ScreenFrame title={t('dispensing.title')} hint={t('dispensing.hint')}>
      <div className="illustration counting" aria-hidden="true">
        <div className="bill" />
        <div className="bill" />
        <div className="bill" />
      </div>
    </ScreenFrame>
  );
}
