// Lint rules, including the architecture's boundaries (test/lint/boundaries.test.ts feeds each of them a
// forbidden import or call and expects an error):
// - the domain core (money, calendar, schedule, servicing, ledger, contact, hardship, workbench, reports,
//   …) imports nothing that does I/O and reads no clock, randomness or environment; only the shell may;
// - the store is the bottom of the shell: it may not import the layers that call it;
// - the browser code (web/) talks to the server over HTTP only and never imports the server's source.
import tseslint from 'typescript-eslint';

const core = [
  'money',
  'calendar',
  'schedule',
  'servicing',
  'ledger',
  'contact',
  'hardship',
  'workbench',
  'reports',
  'scoring',
  'errors',
  'demo',
];
const shell = ['store', 'channels', 'app', 'api', 'cli', 'sim', 'importing', 'web'];
const storeCallers = ['app', 'api', 'cli', 'sim', 'importing'];

const folderPatterns = (dirs) => dirs.flatMap((dir) => [`**/${dir}/**`, `**/${dir}`]);

/** Calls that read the wall clock, randomness or the process environment. */
const impureCalls = [
  { selector: "NewExpression[callee.name='Date']", message: 'No wall clock in the core: pass the date in.' },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'No wall clock in the core.',
  },
  {
    selector: "MemberExpression[object.name='Temporal'][property.name='Now']",
    message: 'No wall clock in the core: pass the instant in.',
  },
  {
    selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
    message: 'No clock in the core: measure time in the shell.',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message: 'No randomness in the core: pass a seeded source in.',
  },
  {
    selector: "CallExpression[callee.object.name='crypto'][callee.property.name=/^(randomUUID|getRandomValues)$/]",
    message: 'No randomness in the core: pass ids or a seeded source in.',
  },
  {
    selector: "MemberExpression[object.name='process'][property.name='env']",
    message: 'The core reads no environment: the shell passes configuration in.',
  },
];

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
              group: folderPatterns(shell),
              message: 'The domain core must not import the shell (store, channels, app, api, cli, sim, importing).',
            },
            {
              group: [
                'node:*',
                'fs',
                'net',
                'http',
                'https',
                'crypto',
                'child_process',
                'pg',
                '@electric-sql/*',
                'drizzle-orm*',
                'nodemailer',
                'pdfkit',
                'pino',
              ],
              message: 'The domain core does no I/O; pass data in from the shell.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...impureCalls],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: folderPatterns(storeCallers),
              message: 'The store is called by the application layer and the API; it must not import them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src|bin)(/|$)',
              message: 'The console talks to the server over HTTP; it must not import the server source (src/).',
            },
            { group: ['kuan', 'kuan/*'], message: 'The console must not import the server package.' },
          ],
        },
      ],
    },
  },
);
