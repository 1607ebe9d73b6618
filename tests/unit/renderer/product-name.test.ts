import { describe, expect, it } from 'vitest';
import { translator } from '../../../renderer/src/i18n/i18n.js';
import { maskedNumber, productName } from '../../../renderer/src/format/product.js';

describe('product names in the screen language', () => {
  it('name the kind from the catalogue and keep only the bank label\'s masked number', () => {
    expect(productName(translator('ru'), 'current', 'Current account *0101')).toBe('Текущий счёт *0101');
    expect(productName(translator('kk'), 'wallet', 'Wallet *0202')).not.toMatch(/Wallet|[A-Za-z]{3,}/);
    expect(productName(translator('en'), 'loan', 'Loan *0808')).toBe('Loan *0808');
  });

  it('masked numbers: stars or bullets, with or without a space; none without one', () => {
    expect(maskedNumber('KZ** **** **** 0012')).toBe('*0012');
    expect(maskedNumber('Wallet •• 7781')).toBe('*7781');
    expect(maskedNumber('Savings account')).toBeUndefined();
    expect(productName(translator('ru'), 'savings', 'Savings account')).toBe('Сберегательный счёт');
  });
});
