import { useCallback, useState, type ReactNode } from 'react';
import { useView } from '../app/view-context.js';
import { Keypad } from './Keypad.js';
import { ScreenFrame } from './Layout.js';

export interface DigitEntryProps {
  title: string;
  hint?: string | undefined;
  /** accessible name of the field */
  label: string;
  maxLength: number;
  /** how typed digits look, e.g. "+7 701 234 56 78" */
  format?(digits: string): string;
  /** a translated reason the digits are wrong, shown as typed; null while fine or incomplete */
  problem?(digits: string): string | null;
  /** whether the digits are complete and valid */
  ready(digits: string): boolean;
  submit(digits: string): void;
  /** show dots instead of digits, and forget them once sent (codes) */
  secret?: boolean;
  placeholder?: string;
  back?: boolean;
  above?: ReactNode;
  below?: ReactNode;
}

/**
 * A keypad-driven entry: keeps only the digits being typed (the one piece of state the UI owns),
 * shows them masked as typed, validates on every key and submits when complete.
 */
export function DigitEntry(props: DigitEntryProps) {
  const { t } = useView();
  const [digits, setDigits] = useState('');
  const { maxLength, ready, submit, secret } = props;
  const onDigit = useCallback((d: string) => setDigits((cur) => (cur.length < maxLength ? cur + d : cur)), [maxLength]);
  const onDelete = useCallback(() => setDigits((cur) => cur.slice(0, -1)), []);
  const onClear = useCallback(() => setDigits(''), []);
  const onEnter = useCallback(() => {
    if (!ready(digits)) return;
    submit(digits);
    // A code is retyped whole: the screen stays the same when the core refuses it (wrong PIN or OTP), and digits
    // typed after the dots of a refused code would be appended to it, each try a wrong code towards a lock-out.
    if (secret) setDigits('');
  }, [digits, ready, submit, secret]);

  const shown = props.secret ? '●'.repeat(digits.length) : props.format ? props.format(digits) : digits;
  const problem = props.problem?.(digits) ?? null;
  const canSubmit = ready(digits);

  return (
    <ScreenFrame
      title={props.title}
      hint={props.hint}
      back={props.back ?? true}
      cancel
      actions={
        <button type="button" className="btn btn-primary" disabled={!canSubmit} onClick={onEnter}>
          {t('common.continue')}
        </button>
      }
    >
      {/* Portrait stacks field over keypad; landscape puts them side by side. */}
      <div className="entry-layout">
        <div className="entry-side">
          {props.above}
          <div className="entry">
            <output className={problem ? 'field field-bad' : 'field'} aria-label={props.label} aria-live="polite">
              {shown || <span className="placeholder">{props.placeholder ?? ''}</span>}
            </output>
            <p className="field-problem" role="alert">
              {problem ?? ''}
            </p>
          </div>
          {props.below}
        </div>
        <Keypad onDigit={onDigit} onDelete={onDelete} onClear={onClear} onEnter={onEnter} />
      </div>
    </ScreenFrame>
  );
}
