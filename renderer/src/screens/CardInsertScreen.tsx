import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

export function CardInsertScreen() {
  const { t } = useView();
  return (
    <ScreenFrame title={t('card.title')} hint={t('card.hint')} back cancel>
      <div className="illustration" aria-hidden="true">
        <div className="slot" />
        <div className="card-anim">
          <span className="chip" />
        </div>
        <div className="arrow-down">▼</div>
      </div>
    </ScreenFrame>
  );
}
