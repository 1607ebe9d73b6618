import type { IdentificationMethod } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { Icon, type IconName } from '../components/Icon.js';
import { IDENTIFICATION_METHODS } from '../../../domain/operations.js';

const ALL: readonly IdentificationMethod[] = IDENTIFICATION_METHODS;
const ICON: Record<IdentificationMethod, IconName> = { phone: 'phone', iin: 'idCard', card: 'card', palm: 'palm', qr: 'qr' };

/** The sign-in methods the core offers, as large cards. */
export function MethodChoices() {
  const { snapshot, send, t } = useView();
  const methods = snapshot.identificationMethods ?? ALL;
  return (
    <div className="choices">
      {methods.map((m) => (
        <button key={m} type="button" className="choice" onClick={() => send({ name: 'chooseIdentification', payload: { method: m } })}>
          <span className="choice-icon">
            <Icon name={ICON[m]} />
          </span>
          <span className="choice-text">
            <span className="choice-title">{t(`identify.${m}`)}</span>
            <span className="choice-hint">{t(`identify.${m}Hint`)}</span>
          </span>
        </button>
      ))}
    </div>
  );
}
