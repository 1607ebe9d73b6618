/**
 * Pieces the technician's entry screens share: count fields chosen by touch and typed on the one
 * on-screen keypad, the way back to the menu, and the names of cash units. Typed digits are the
 * only state the UI keeps; what they mean is the core's answer.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { useView } from '../app/view-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { formatTenge } from '../format/money.js';
import { Keypad } from '../components/Keypad.js';
import { ScreenFrame } from '../components/Layout.js';
import type { ServiceCollectView } from '../../../kiosk/bridge/schema.js';
import type { z } from 'zod';

export type ServiceParams = Record<string, string | number>;

/** sends one service action; every one carries the screen's language for receipts */
export function useServiceAction(): (action: 'lookupReceipt' | 'printReceiptCopy' | 'collect' | 'replenish' | 'lostReceipts' | 'openWithdrawals', params?: ServiceParams) => void {
  const { snapshot, send } = useView();
  return (action, params = {}) => send({ name: 'serviceAction', payload: { action, params: { ...params, locale: snapshot.locale } } });
}

/** digits typed per field; the keypad writes into the selected one */
export function useCountFields(first: string | undefined, maxDigits: number) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<string | undefined>(first);
  const edit = useCallback(
    (change: (cur: string) => string) => {
      if (selected === undefined) return;
      setValues((v) => ({ ...v, [selected]: change(v[selected] ?? '') }));
    },
    [selected],
  );
  return {
    values,
    selected,
    select: setSelected,
    onDigit: useCallback((d: string) => edit((cur) => (cur.length < maxDigits ? (cur === '0' ? d : cur + d) : cur)), [edit, maxDigits]),
    onDelete: useCallback(() => edit((cur) => cur.slice(0, -1)), [edit]),
    onClear: useCallback(() => edit(() => ''), [edit]),
    /** the typed whole number, or undefined when the field is empty */
    number: (key: string): number | undefined => {
      const v = values[key];
      return v === undefined || v === '' ? undefined : Number.parseInt(v, 10);
    },
  };
}

/** a count the keypad types into; its name is the line it belongs to and what it counts */
export function CountField(props: { id: string; line: string; label: string; value: string | undefined; placeholder: string; selected: boolean; bad?: boolean; select(id: string): void }) {
  const cls = ['count-field', props.selected ? 'count-field-selected' : '', props.bad ? 'field-bad' : ''].filter(Boolean).join(' ');
  return (
    <button type="button" className={cls} aria-pressed={props.selected} data-field={props.id} onClick={() => props.select(props.id)}>
      <span className="visually-hidden">{props.line} </span>
      <span className="count-field-label">{props.label}</span>
      <output className="count-field-value">{props.value ? props.value : <span className="placeholder">{props.placeholder}</span>}</output>
    </button>
  );
}

export function BackToMenu({ onBack }: { onBack(): void }) {
  const { t } = useView();
  return (
    <button type="button" className="btn btn-secondary" onClick={onBack}>
      {t('service.backToMenu')}
    </button>
  );
}

export function useUnitName(): (unit: string) => string {
  const { t } = useView();
  return (unit) => {
    const m = /^cassette:([0-9])$/.exec(unit);
    if (m) return t('service.unit.cassette', { n: Number(m[1]) + 1 });
    const key = `service.unit.${unit}` as MessageKey;
    return key === 'service.unit.cashBox' || key === 'service.unit.reject' || key === 'service.unit.retract' || key === 'service.unit.presenter' ? t(key) : unit;
  };
}

export function Notice({ tone, children }: { tone: 'ok' | 'problem'; children: ReactNode }) {
  return (
    <p className={tone === 'ok' ? 'service-notice service-notice-ok' : 'service-notice service-notice-problem'} role={tone === 'ok' ? 'status' : 'alert'}>
      {children}
    </p>
  );
}

/** collection / replenishment answers: receipt number, discrepancies, slip */
export function Discrepancies({ list }: { list: ReadonlyArray<{ unit: string; denomination: number; counter: number; counted: number; difference: number }> }) {
  const { t } = useView();
  const unitName = useUnitName();
  const money = useMoneyText();
  if (list.length === 0) return <Notice tone="ok">{t('service.noDiscrepancy')}</Notice>;
  return (
    <section className="service-discrepancies" aria-label={t('service.discrepancies')}>
      <h2 className="section">{t('service.discrepancies')}</h2>
      <ul>
        {list.map((d) => (
          <li key={`${d.unit}/${d.denomination}`}>
            {t('service.discrepancy', {
              unit: unitName(d.unit),
              denomination: money(d.denomination),
              counter: d.counter,
              counted: d.counted,
              difference: d.difference > 0 ? `+${d.difference}` : String(d.difference),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SlipOutcome({ slip }: { slip: { printed: boolean } | undefined }) {
  const { t } = useView();
  if (!slip) return null;
  return slip.printed ? <Notice tone="ok">{t('service.slipPrinted')}</Notice> : <Notice tone="problem">{t('service.slipNotPrinted')}</Notice>;
}

export function useMoneyText(): (tiyn: number) => string {
  const { snapshot } = useView();
  return (tiyn) => formatTenge(tiyn, snapshot.locale);
}

/**
 * The count entry frame collection and replenishment share: back and the confirming button, the
 * core's refusal, one line per unit (`children`, the `li`s) beside the keypad.
 */
export function ServiceEntryFrame(props: {
  title: string;
  hint: string | undefined;
  onBack(): void;
  confirm: { label: string; onClick(): void; disabled?: boolean };
  /** the core's refusal (collection and replenishment answer alike) */
  refusal: z.infer<typeof ServiceCollectView>['refusal'];
  /** shown under the refusal, above the lines */
  notice?: ReactNode;
  /** the keypad is left out when there is nothing to type into */
  keypad: { fields: ReturnType<typeof useCountFields>; onEnter?: () => void } | undefined;
  children: ReactNode;
}) {
  const { t } = useView();
  const { fields, onEnter } = props.keypad ?? {};
  return (
    <ScreenFrame
      title={props.title}
      hint={props.hint}
      actions={
        <>
          <BackToMenu onBack={props.onBack} />
          <button type="button" className="btn btn-primary" disabled={props.confirm.disabled} onClick={props.confirm.onClick}>
            {props.confirm.label}
          </button>
        </>
      }
    >
      {props.refusal ? <Notice tone="problem">{t(`service.refusal.${props.refusal.code}`, { number: '' })}</Notice> : null}
      {props.notice}
      <div className="entry-layout">
        <div className="entry-side">
          <ul className="count-lines">{props.children}</ul>
        </div>
        {fields ? <Keypad onDigit={fields.onDigit} onDelete={fields.onDelete} onClear={fields.onClear} onEnter={onEnter} /> : null}
      </div>
    </ScreenFrame>
  );
}

/** the answer frame of collection and replenishment: receipt number, per-unit summary (`children`), discrepancies, slip */
export function ServiceDoneFrame(props: {
  title: string;
  onBack(): void;
  receiptNumber: string | undefined;
  discrepancies: Parameters<typeof Discrepancies>[0]['list'] | undefined;
  slip: { printed: boolean } | undefined;
  children: ReactNode;
}) {
  const { t } = useView();
  return (
    <ScreenFrame title={props.title} tone="success" actions={<BackToMenu onBack={props.onBack} />}>
      <p className="service-receipt-number">{t('service.receiptNumber', { number: props.receiptNumber ?? '' })}</p>
      <dl className="summary compact">{props.children}</dl>
      <Discrepancies list={props.discrepancies ?? []} />
      <SlipOutcome slip={props.slip} />
    </ScreenFrame>
  );
}

/** one unit's line on an entry screen: its name, what its counter says, then its fields (`children`) */
export function CountLine({ name, counterLabel, count, children }: { name: string; counterLabel: string; count: number; children: ReactNode }) {
  const { t } = useView();
  return (
    <li className="count-line">
      <span className="count-line-name">{name}</span>
      <span className="count-line-counter">
        {counterLabel}: {t('service.notes', { count })}
      </span>
      {children}
    </li>
  );
}
