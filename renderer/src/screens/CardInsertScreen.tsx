import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

export function CardInsertScreen() {
  const { snapshot, t } = useView();
  // the prompt follows the configured reader: a swipe reader holds no card, a motorised one takes it in
  const swipe = snapshot.cardReader !== 'motorised';
  return (
    <ScreenFrame title={t(swipe ? 'card.swipe.title' : 'card.title')} hint={t(swipe ? 'card.swipe.hint' : 'card.hint')} back cancel>
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
