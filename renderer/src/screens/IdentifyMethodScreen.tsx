import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { MethodChoices } from './identification.js';

export function IdentifyMethodScreen() {
  const { t } = useView();
  return (
    <ScreenFrame title={t('identify.title')} back cancel>
      <MethodChoices />
    </ScreenFrame>
  );
}
