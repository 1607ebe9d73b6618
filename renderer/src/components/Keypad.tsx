import { useEffect } from 'react';
import { useView } from '../app/view-context.js';

export interface KeypadProps {
  onDigit(digit: string): void;
  onDelete(): void;
  onClear(): void;
  onEnter?(): void;
}

const ROWS = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
] as const;

/** The on-screen keypad; a hardware keyboard (service technicians, tests) works too. */
export function Keypad({ onDigit, onDelete, onClear, onEnter }: KeypadProps) {
  const { t } = useView();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement) return;
      if (/^[0-9]$/.test(e.key)) onDigit(e.key);
      else if (e.key === 'Backspace') onDelete();
      else if (e.key === 'Escape') onClear();
      else if (e.key === 'Enter') onEnter?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onDigit, onDelete, onClear, onEnter]);
  return (
    <div className="keypad" role="group" aria-label={t('keypad.label')}>
      {ROWS.flat().map((d) => (
        <button key={d} type="button" className="key" onClick={() => onDigit(d)}>
          {d}
        </button>
      ))}
      <button type="button" className="key key-fn" onClick={onClear}>
        {t('keypad.clear')}
      </button>
      <button type="button" className="key" onClick={() => onDigit('0')}>
        0
      </button>
      <button type="button" className="key key-fn" aria-label={t('keypad.delete')} onClick={onDelete}>
        <span aria-hidden="true">⌫</span>
      </button>
    </div>
  );
}
