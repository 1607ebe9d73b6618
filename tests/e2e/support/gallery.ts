/** Helpers for specs that drive the fixture gallery. */
import type { Page } from '@playwright/test';
import type { Intent } from '../../../kiosk/bridge/schema.js';

export type GalleryLocale = 'kk' | 'ru' | 'en';
export const galleryLocales: readonly GalleryLocale[] = ['kk', 'ru', 'en'];

export function galleryUrl(fixture: string, locale: GalleryLocale): string {
  const base = process.env.GALLERY_URL;
  if (!base) throw new Error('GALLERY_URL is not set: run with -c tests/e2e/gallery.config.ts');
  return `${base}?fixture=${encodeURIComponent(fixture)}&locale=${locale}`;
}

/** Opens one fixture and waits until its screen is rendered; fails on any page error. */
export async function openFixture(page: Page, fixture: string, locale: GalleryLocale): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // Entrance animations fade text in; checks and photos see the settled screen.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(galleryUrl(fixture, locale));
  await page.locator('.app[data-screen]').waitFor();
  await page.evaluate('document.fonts.ready');
  if (errors.length > 0) throw new Error(`page errors on ${fixture}/${locale}: ${errors.join('; ')}`);
}

export async function sentIntents(page: Page): Promise<Intent[]> {
  // Evaluated in the page (string form: the Node-side type check has no DOM).
  return (await page.evaluate('window.__intents ?? []')) as Intent[];
}
