// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, React's rules of hooks, and the
// import boundaries between the layers (README, Layout):
//   renderer/src ↛ electron (the page reaches services only through the typed API: renderer/src/api/client.ts)
//   shared/      ↛ electron, renderer (pure code both sides import)
//   electron/    ↛ renderer (main and preload take the bridge contract from shared/contract/bridge.ts)
//   electron/services ↛ electron/cli (the CLI is one caller of the services, like the main process and web mode)
// Specs and the end-to-end suite may cross them: they drive the real services under the renderer's code.
// `npm run lint`; `npm test` runs it as a suite.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** no-restricted-imports patterns: import paths (relative or bare) that reach into a folder of the repository. */
const into = (folder, why) => ({ regex: `(^|/)${folder}/`, message: why });
const electronPackage = { regex: '^electron$', message: 'Electron is for electron/main and electron/preload only.' };
const noElectron = into('electron', 'renderer and shared code must not import electron/: call the services through the typed API (shared/contract).');
const noRenderer = into('renderer', 'import the contract from shared/ instead of renderer/ (the page depends on the services, never the other way round).');
const noCli = into('cli', 'services must not import the CLI: move what both need into electron/services.');
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const tests = ['**/*.spec.ts', '**/*.spec.tsx', '**/*.e2e.ts', 'renderer/e2e/**', '**/testing/**', '**/*Testing.ts'];

export default defineConfig([
  globalIgnores(['node_modules/', 'out/', 'dist/', 'test-output/', 'resources/', '.venv/', '.tmp-glx/', '**/*-project/']),
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name`: a parameter a signature needs, or a property left out of a rest copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  // Specs and test helpers read and edit JSON replies and voice.json field by field.
  { files: tests, rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // The DSP loops write paired updates as one comma statement (`re = a, im = b;`), on purpose and throughout.
  { files: ['shared/dsp/**'], rules: { '@typescript-eslint/no-unused-expressions': 'off' } },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  { files: ['renderer/src/**'], ignores: tests, rules: restrict(noElectron, electronPackage) },
  { files: ['shared/**'], ignores: tests, rules: restrict(noElectron, noRenderer, electronPackage) },
  { files: ['electron/**'], ignores: tests, rules: restrict(noRenderer) },
  { files: ['electron/services/**'], ignores: tests, rules: restrict(noRenderer, noCli, electronPackage) },
]);
