import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import unicorn from 'eslint-plugin-unicorn';
import globals from 'globals';

// The architecture (DESIGN.md section 2) as rules, so a reader does not have to enforce it.
// Adapters: the modules of a pure folder that talk to an outside system. A new adapter in a pure
// folder is added here; anything else there must stay free of SDKs and I/O.
const adapters = [
  'shared/azure-credential.ts',
  'shared/artifacts/blob-artifact-store.ts',
  'shared/artifacts/blob-connection.ts',
  'shared/data/blob-table.ts',
  'shared/data/read-parquet.ts',
  'shared/data/write-csv.ts',
  'shared/ml/onnx-runtime.ts',
  'shared/ml/evaluate.ts',
  'shared/registry/cosmos-connection.ts',
  'shared/registry/cosmos-registry-store.ts',
  'shared/registry/open-registry.ts',
  'shared/scoring/model-run.ts',
  'shared/scoring/model-cache.ts',
  'shared/serving/data-plane.ts',
  'shared/serving/auto-rollback.ts',
  'shared/serving/capture.ts',
  'shared/serving/table-stats-store.ts',
  'shared/serving/open-data-plane.ts',
  'shared/serving/http-front.ts',
];
const pureModules = [
  'shared/*.ts',
  'shared/artifacts/**',
  'shared/data/**',
  'shared/drift/**',
  'shared/health/**',
  'shared/ml/**',
  'shared/registry/**',
  'shared/scoring/**',
  'shared/serving/**',
  'shared/training/backend.ts',
  'shared/training/task-outcome.ts',
  'shared/training/compute.ts',
  'shared/training/glob-pattern.ts',
  'shared/training/trainer-task.ts',
  'shared/training/batch/batch-task-mapping.ts',
];
const adapterImport = `(^|/)(${adapters.map((path) => path.split('/').at(-1).replace('.ts', '')).join('|')})\\.js$`;

/** A relative import that climbs out of its top-level folder into `folder/`. */
const into = (folder, message) => ({ regex: `^(\\.\\./)+${folder}/`, message });

const sharedBoundaries = [
  into('local', 'shared/ never imports local/: the local runtime knows the app, not the other way.'),
  into('functions', 'shared/ never imports functions/: entry points import the core.'),
];

const noSdkOrIo = [
  {
    group: [
      '@azure/*',
      '@vercel/cosmosdb-server',
      'azurite',
      'onnxruntime-node',
      'durable-functions',
      'rhea',
    ],
    message: 'Pure modules import no SDK; put the call in an adapter behind a port (see eslint.config.js).',
  },
  {
    group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process'],
    message: 'Pure modules do no I/O; take the data or a port as an argument.',
  },
  { regex: adapterImport, message: 'Pure modules do not import adapters; take a port as an argument.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'azurite/**', 'tests/fixtures/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { unicorn },
    rules: {
      // One file-naming rule for the whole tree.
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // With noUncheckedIndexedAccess, `!` after a checked lookup is clearer than a redundant branch.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A promise nobody awaits loses its failure; one passed where a callback is expected too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Plain JavaScript (this file, fixture and benchmark apps) is outside the TypeScript project,
    // and so is the console's build configuration.
    files: ['**/*.js', 'console/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: sharedBoundaries,
        },
      ],
    },
  },
  {
    files: pureModules,
    ignores: adapters,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...sharedBoundaries, ...noSdkOrIo],
        },
      ],
    },
  },
  {
    files: ['local/host/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(servicebus|taskhub|stack|pool|emulators)/',
              message:
                'The host knows extensions only through extension.ts; wire them in local/default-extensions.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [into('local', 'functions/ never imports local/: the app runs on any Functions host.')] },
      ],
    },
  },
  // The web console runs in the browser.
  { files: ['console/src/**'], languageOptions: { globals: globals.browser } },
);
