/**
 * Line icons drawn as inline SVG: kiosk PCs have no emoji font, and no icon may depend on one.
 * Decorative only (aria-hidden); every button carries its own text.
 */
const PATHS = {
  phone: 'M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zM11 18h2',
  idCard: 'M3 5h18v14H3zM7 10a2 2 0 1 0 4 0a2 2 0 1 0-4 0M6 16c.6-1.6 1.8-2.4 3-2.4s2.4.8 3 2.4M14 9h4M14 13h4',
  card: 'M2 6h20v12H2zM2 10h20M6 15h4',
  palm: 'M7 12V5.5a1.5 1.5 0 0 1 3 0V11M10 11V4a1.5 1.5 0 0 1 3 0v7M13 11V5a1.5 1.5 0 0 1 3 0v7M16 12V8a1.5 1.5 0 0 1 3 0v6c0 4-3 8-7 8c-3 0-5-2-6.5-4.5L3.6 14a1.5 1.5 0 0 1 2.6-1.5L7 14',
  qr: 'M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3zM6 6h1v1H6zM17 6h1v1h-1zM6 17h1v1H6zM14 14h3v3h-3zM18 18h3v3h-3zM18 14h3M14 18v3',
  receipt: 'M5 2h14v20l-3-2l-2 2l-2-2l-2 2l-2-2l-3 2zM8 7h8M8 11h8M8 15h5',
  list: 'M4 6h16M4 12h16M4 18h10',
  cashIn: 'M12 3v11M7 9l5 5l5-5M3 17h18v4H3z',
  cashOut: 'M12 14V3M7 8l5-5l5 5M3 17h18v4H3z',
  percent: 'M5 19L19 5M7 7m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M17 17m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0',
  key: 'M14 10m-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0M10.5 12.5L3 20M6 17l2 2M4 19l2 2',
  printer: 'M6 9V2h12v7M6 18H3v-8h18v8h-3M6 14h12v8H6z',
  envelope: 'M3 5h18v14H3zM3 5l9 8l9-8',
  cross: 'M6 6l12 12M18 6L6 18',
  search: 'M10 10m-7 0a7 7 0 1 0 14 0a7 7 0 1 0-14 0M15 15l6 6',
  check: 'M4 12l5 5L20 6',
  power: 'M12 2v9M6.3 5.6a8 8 0 1 0 11.4 0',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={className ?? 'icon'} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
