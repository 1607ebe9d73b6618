import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

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
      // The renderer is a pure view: it may import only the bridge's types/schemas from the core.
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/kiosk/*', '!**/kiosk/bridge', '**/kiosk/!(bridge)/**'], message: 'The renderer may import only kiosk/bridge.' },
        { group: ['node:*', '**/drivers/**', '**/simulators/**', 'better-sqlite3', 'serialport', 'node-hid', 'electron'], message: 'The renderer never touches Node or devices.' },
      ] }],
    },
  },
  {
    files: ['kiosk/**/*.ts', 'drivers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core and drivers never import electron.' }] }],
    },
  },
);
