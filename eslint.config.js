// Import rules that keep the layers honest (DESIGN.md, "One engine, three faces"):
// electron only in main/shell and preload; core never reaches a face; the renderer sees
// nothing of main but types from main/core/api.ts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = { name: 'electron', message: 'electron may be imported only in main/shell and preload.' };

export default tseslint.config(
  { ignores: ['out/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'react', message: 'main/core is the engine: no UI libraries.' }],
          patterns: [
            { group: ['**/shell/**', '**/cli/**', '**/renderer/**', '**/preload/**'], message: 'main/core never imports a face.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/shell/**/*.ts', 'preload/**/*.ts', 'test/shell/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/main/core/api', '**/main/core/api.js', '**/main/core/api.ts'],
              allowTypeImports: true,
              message: 'the renderer may import only types from main/core/api.ts (use `import type`).',
            },
            {
              // Only api's types, and time-boxes: data only (the choices every face offers), so the window and the tray offer the same.
              regex: '(^|/)main/(?!core/(api|time-boxes)(\\.[jt]s)?$)|(^|/)preload/',
              message: 'the renderer talks to the engine only through window.portcullis or the web bridge.',
            },
          ],
        },
      ],
    },
  },
);
