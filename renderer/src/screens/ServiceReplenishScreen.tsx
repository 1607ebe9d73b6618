import type { z } from 'zod';
import type { ServiceReplenishView } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { CountField, CountLine, ServiceDoneFrame, ServiceEntryFrame, useCountFields, useMoneyText, useServiceAction, useUnitName } from './ServiceEntryParts.js';

type View = z.infer<typeof ServiceReplenishView>;

/**
 * Replenishment: per cassette its denomination (the terminal's configuration) and counter, the
 * notes loaded and, for an exchange, the notes taken out. Checked here against the capacity so a
 * slip of the finger shows at once; the core checks again and has the last word.
 */
export function ServiceReplenishScreen({ view, onBack }: { view: View; onBack(): void }) {
  return view.stage === 'done' ? <Done view={view} onBack={onBack} /> : <Enter view={view} onBack={onBack} />;
}

function Enter({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const act = useServiceAction();
  const money = useMoneyText();
  const unitName = useUnitName();
  const fields = useCountFields(view.cassettes[0] ? `load/${view.cassettes[0].cassette}` : undefined, 5);
  const over = (key: string): boolean => (fields.number(key) ?? 0) > view.capacity;
  const keys = view.cassettes.flatMap((c) => [`load/${c.cassette}`, `removed/${c.cassette}`]);
  const typed = keys.filter((k) => fields.number(k) !== undefined);
  const ready = typed.length > 0 && !keys.some(over) && view.cassettes.some((c) => (fields.number(`load/${c.cassette}`) ?? 0) > 0);
  const submit = (): void => {
    if (!ready) return;
    act('replenish', Object.fromEntries(typed.map((k) => [k, fields.number(k) ?? 0])));
  };
  const refusalKey = view.refusal?.key;
  return (
    <ServiceEntryFrame
      title={t('service.replenish.title')}
      hint={t('service.replenish.hint', { capacity: view.capacity })}
      onBack={onBack}
      confirm={{ label: t('service.replenish.submit'), onClick: submit, disabled: !ready }}
      refusal={view.refusal}
      keypad={{ fields, onEnter: submit }}
    >
      {view.cassettes.map((c) => {
        const name = `${unitName(`cassette:${c.cassette}`)} · ${money(c.denomination)}`;
        return (
          <CountLine key={c.cassette} name={name} counterLabel={t('service.replenish.now')} count={c.count}>
            {(['load', 'removed'] as const).map((kind) => {
              const id = `${kind}/${c.cassette}`;
              return (
                <CountField
                  key={id}
                  id={id}
                  line={name}
                  label={t(kind === 'load' ? 'service.replenish.loaded' : 'service.replenish.removed')}
                  value={fields.values[id]}
                  placeholder="—"
                  selected={fields.selected === id}
                  bad={over(id) || refusalKey === id}
                  select={fields.select}
                />
              );
            })}
            {over(`load/${c.cassette}`) || over(`removed/${c.cassette}`) ? (
              <p className="field-problem" role="alert">
                {t('service.replenish.tooMany', { capacity: view.capacity })}
              </p>
            ) : null}
          </CountLine>
        );
      })}
    </ServiceEntryFrame>
  );
}

function Done({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const money = useMoneyText();
  const unitName = useUnitName();
  return (
    <ServiceDoneFrame title={t('service.replenish.done')} onBack={onBack} receiptNumber={view.receiptNumber} discrepancies={view.discrepancies} slip={view.slip}>
      {view.cassettes.map((c) => (
        <div key={c.cassette}>
          <dt>
            {unitName(`cassette:${c.cassette}`)} · {money(c.denomination)}
          </dt>
          <dd>
            {t('service.replenish.loaded')}: {t('service.notes', { count: c.count })}
            {c.removed !== undefined ? ` · ${t('service.replenish.removed')}: ${t('service.notes', { count: c.removed })}` : ''}
          </dd>
        </div>
      ))}
    </ServiceDoneFrame>
  );
}
