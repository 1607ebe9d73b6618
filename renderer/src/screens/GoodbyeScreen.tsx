import { useView } from '../app/view-context.js';
import { Icon } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';

export function GoodbyeScreen() {
  const { t } = useView();
  return (
    <ScreenFrame title={t('goodbye.title')} hint={t('goodbye.hint')} tone="success">
      <div className="big-mark" aria-hidden="true">
        <Icon name="check" />
      </div>
    </ScreenFrame>
  );
}
