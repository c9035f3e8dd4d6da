// Lint rules, including the architecture's one hard rule: the domain core (money, calendar, schedule,
// servicing, ledger, contact, hardship, scoring) imports nothing that does I/O and reads no clock or
// randomness; only the shell (store, channels, jobs, api, cli, sim) may.
import tseslint from 'typescript-eslint';

const core = [
  'money',
  'calendar',
  'schedule',
  'servicing',
  'ledger',
  'contact',
  'hardship',
  'reports',
  'scoring',
  'errors',
  'demo',
];
const shell = ['store', 'channels', 'jobs', 'api', 'cli', 'sim', 'web'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.kuan/**', 'web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: core.map((dir) => `src/${dir}/**/*.ts`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: shell.flatMap((dir) => [`**/${dir}/**`, `**/${dir}`]),
              message: 'The domain core must not import the shell (store, channels, jobs, api, cli, sim).',
            },
            {
              group: ['node:*', 'fs', 'net', 'http', 'child_process', 'pg', '@electric-sql/*', 'drizzle-orm*'],
              message: 'The domain core does no I/O; pass data in from the shell.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'No wall clock in the core: pass the date in.' },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'No wall clock in the core.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'No randomness in the core: pass a seeded source in.',
        },
      ],
    },
  },
);
