import { useView } from '../app/view-context.js';
import { Icon } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';

export function PalmScanScreen() {
  const { snapshot, t } = useView();
  const guidance = snapshot.palm?.guidance ?? 'placeHand';
  return (
    <ScreenFrame title={t('palm.title')} back cancel>
      <div className={`illustration palm palm-${guidance}`} aria-hidden="true">
        <Icon name="palm" className="palm-hand" />
        <div className="palm-beam" />
        <div className="palm-scanner" />
      </div>
      <p className="guidance" role="status" aria-live="polite">
        {t(`palm.${guidance}`)}
      </p>
    </ScreenFrame>
  );
}
