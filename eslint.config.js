import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import unicorn from 'eslint-plugin-unicorn';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'azurite/**', 'tests/fixtures/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: globals.node },
    plugins: { unicorn },
    rules: {
      // One file-naming rule for the whole tree.
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // With noUncheckedIndexedAccess, `!` after a checked lookup is clearer than a redundant branch.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // The web console runs in the browser.
  { files: ['console/src/**'], languageOptions: { globals: globals.browser } },
);
