import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/*
 * Layer boundaries (docs/architecture.md, "Layers"). Each file gets its layer's whole list of
 * `no-restricted-imports` groups, because a later config block replaces a rule's options rather
 * than adding to them. Regexes are matched against the import's source text as written.
 */
const ours = (layer) => `(^|/)${layer}/`;
const forbid = (regex, message) => ({ regex, message });
const NO_ELECTRON = { name: 'electron', message: 'Only main/ (the Electron shell) imports electron.' };
const NO_SIMULATORS = forbid(ours('simulators'), 'The product never imports the simulators (its test rig); shared names live in domain/.');
const NO_MAIN = forbid(ours('main'), 'Only the Electron shell imports main/.');
const NO_KIOSK_FROM_DRIVERS = forbid(ours('kiosk'), 'Drivers know devices, not the kiosk: share through domain/.');
const NO_BRIDGE_IN_BANK = forbid(ours('bridge'), 'The bank wire format is not the UI contract: share through domain/.');
const restrict = (...patterns) => ['error', { paths: [NO_ELECTRON], patterns }];

/** each layer's rule; tests/unit/lint/boundaries.test.ts shows every one firing */
const boundaries = {
  domain: restrict(forbid('^\\.\\./', 'domain/ imports nothing of ours (only its own files, Node and packages).')),
  kiosk: restrict(NO_SIMULATORS, NO_MAIN),
  kioskBank: restrict(NO_SIMULATORS, NO_MAIN, NO_BRIDGE_IN_BANK),
  drivers: restrict(NO_KIOSK_FROM_DRIVERS, NO_SIMULATORS, NO_MAIN),
  main: ['error', { patterns: [
    forbid(`${ours('kiosk')}(?!index\\.js$)`, 'main/ reaches the kiosk only through its public entry, kiosk/index.ts.'),
    NO_SIMULATORS,
  ] }],
  // The renderer is a pure view: of ours it may import only the bridge contract and domain/.
  renderer: ['error', { patterns: [
    forbid(`${ours('kiosk')}(?!bridge/schema\\.js$)`, 'The renderer may import only kiosk/bridge/schema.ts and domain/.'),
    forbid(ours('(drivers|simulators|main|scripts|tests)'), 'The renderer may import only kiosk/bridge/schema.ts and domain/.'),
    { group: ['node:*', 'better-sqlite3', 'serialport', 'node-hid', 'electron'], message: 'The renderer never touches Node or devices.' },
  ] }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'renderer/dist/**', 'test-results/**', 'playwright-report/**', 'data/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': boundaries.renderer,
    },
  },
  { files: ['domain/**/*.ts'], rules: { 'no-restricted-imports': boundaries.domain } },
  { files: ['kiosk/**/*.ts'], rules: { 'no-restricted-imports': boundaries.kiosk } },
  { files: ['kiosk/bank/**/*.ts'], rules: { 'no-restricted-imports': boundaries.kioskBank } },
  { files: ['drivers/**/*.ts'], rules: { 'no-restricted-imports': boundaries.drivers } },
  { files: ['main/**/*.ts'], rules: { 'no-restricted-imports': boundaries.main } },
);
