import type { z } from 'zod';
import type { ServiceCollectView } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { CountField, CountLine, Notice, ServiceDoneFrame, ServiceEntryFrame, useCountFields, useMoneyText, useServiceAction, useUnitName } from './ServiceEntryParts.js';

type View = z.infer<typeof ServiceCollectView>;

const keyOf = (u: { unit: string; denomination: number }): string => `${u.unit}/${u.denomination}`;

/**
 * Collection: what the counters say is in the box and bins, per denomination; a line the
 * technician counted differently is typed in, and the core records the difference as found.
 */
export function ServiceCollectScreen({ view, onBack }: { view: View; onBack(): void }) {
  return view.stage === 'done' ? <Done view={view} onBack={onBack} /> : <Count view={view} onBack={onBack} />;
}

function Count({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const act = useServiceAction();
  const money = useMoneyText();
  const unitName = useUnitName();
  const first = view.units[0];
  const fields = useCountFields(first ? keyOf(first) : undefined, 6);
  const confirm = (): void => {
    const params: Record<string, number> = { confirm: 1 };
    for (const u of view.units) {
      const n = fields.number(keyOf(u));
      if (n !== undefined) params[keyOf(u)] = n;
    }
    act('collect', params);
  };
  return (
    <ServiceEntryFrame
      title={t('service.collect.title')}
      hint={view.units.length > 0 ? t('service.collect.hint') : undefined}
      onBack={onBack}
      confirm={{ label: t('service.collect.confirm'), onClick: confirm }}
      refusal={view.refusal}
      notice={view.units.length === 0 ? <Notice tone="ok">{t('service.collect.empty')}</Notice> : null}
      keypad={view.units.length > 0 ? { fields } : undefined}
    >
      {view.units.map((u) => (
        <CountLine key={keyOf(u)} name={`${unitName(u.unit)} · ${money(u.denomination)}`} counterLabel={t('service.collect.counter')} count={u.count}>
          <CountField
            id={keyOf(u)}
            line={`${unitName(u.unit)} ${money(u.denomination)}`}
            label={t('service.collect.counted')}
            value={fields.values[keyOf(u)]}
            placeholder={t('service.collect.asCounter')}
            selected={fields.selected === keyOf(u)}
            select={fields.select}
          />
        </CountLine>
      ))}
    </ServiceEntryFrame>
  );
}

function Done({ view, onBack }: { view: View; onBack(): void }) {
  const { t } = useView();
  const money = useMoneyText();
  const unitName = useUnitName();
  return (
    <ServiceDoneFrame title={t('service.collect.done')} onBack={onBack} receiptNumber={view.receiptNumber} discrepancies={view.discrepancies} slip={view.slip}>
      {view.units.map((u) => (
        <div key={keyOf(u)}>
          <dt>
            {unitName(u.unit)} · {money(u.denomination)}
          </dt>
          <dd>{t('service.notes', { count: u.counted ?? u.count })}</dd>
        </div>
      ))}
      <div>
        <dt>{t('service.collect.total')}</dt>
        <dd>{money(view.total ?? 0)}</dd>
      </div>
    </ServiceDoneFrame>
  );
}
