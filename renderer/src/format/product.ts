/**
 * A product's name in the screen's language. The bank's label is its own (it may be English, e.g.
 * "Current account *0101"); the bank also sends the product's kind, so the kiosk names the kind
 * from its catalogue and keeps only the label's masked number ("*0101"). A label without a masked
 * number shows as the kind's name alone. See docs/product-names.md.
 */
import type { Translate } from '../i18n/i18n.js';

export type ProductKind = 'current' | 'savings' | 'loan' | 'wallet';

/** the masked number at the end of a bank label: `*0101`, `**** 0101`, `*1234` */
export function maskedNumber(label: string): string | undefined {
  const m = /[*•]+\s?(\d{2,6})\s*$/.exec(label);
  return m ? `*${m[1] ?? ''}` : undefined;
}

export function productName(t: Translate, kind: ProductKind, label: string): string {
  const number = maskedNumber(label);
  const name = t(`product.kind.${kind}`);
  return number ? `${name} ${number}` : name;
}
