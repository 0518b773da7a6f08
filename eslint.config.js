// Lint: type-aware TypeScript rules plus the layer matrix from ARCHITECTURE.md.
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';

// Each layer may import only the layers listed here (and itself). Keep in sync with ARCHITECTURE.md.
const layers = {
  shared: [],
  sdk: ['shared'],
  storage: ['shared'],
  barrier: ['shared', 'storage'],
  core: ['shared', 'sdk', 'storage', 'barrier'],
  engines: ['shared', 'sdk'],
  auth: ['shared', 'sdk'],
  'audit-devices': ['shared', 'sdk'],
  http: ['shared', 'core'],
  api: ['shared'],
  server: ['shared', 'sdk', 'storage', 'barrier', 'core', 'engines', 'auth', 'audit-devices', 'http'],
  cli: ['shared', 'api', 'server', 'agent'],
  agent: ['shared', 'api'],
  k8s: ['shared'],
  testing: ['shared', 'sdk', 'storage', 'barrier', 'core', 'engines', 'auth', 'audit-devices', 'http', 'server', 'api'],
  bench: ['shared', 'storage', 'api', 'testing'],
  conformance: ['shared', 'api', 'testing'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'eslint.config.js', 'scripts/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        ...Object.keys(layers)
          .filter((l) => l !== 'bench' && l !== 'conformance')
          .map((l) => ({ type: l, pattern: `src/${l}` })),
        { type: 'conformance', pattern: 'conformance' },
        { type: 'bench', pattern: 'bench' },
      ],
      // Tests sit beside the code they test and may use any layer plus the testing helpers.
      'boundaries/files': [{ category: 'test', pattern: ['**/*.test.ts'] }],
      'boundaries/include': ['src/**/*', 'bench/**/*', 'conformance/**/*'],
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // Backend handlers are async by contract even when a given one has nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: 'layer "{{from.element.type}}" may not import from layer "{{to.element.type}}"; allowed imports per layer are in eslint.config.js and ARCHITECTURE.md',
          policies: [
            ...Object.entries(layers).map(([from, allow]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: [from, ...allow] } } } },
              message: `layer "${from}" may import only from: ${[from, ...allow].join(', ')} (see ARCHITECTURE.md)`,
            })),
            { from: { file: { categories: 'test' } }, allow: { to: { element: { types: { anyOf: Object.keys(layers) } } } } },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'src/testing/**', 'bench/**', 'conformance/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
