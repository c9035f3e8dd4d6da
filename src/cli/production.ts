// What `--production` refuses in the environment (`kuan config check --production`, `kuan serve
// --production`): the defaults that make a local trial work and a real deployment unsafe. Each refusal
// names its variable (docs/configuration.md "Production mode").
import { InputError } from '../errors/index.ts';
import { databaseConfigFromEnv } from '../store/index.ts';
import { codeSecretOf, developmentCodeSecret } from './commands/contacts.ts';

/** Throws an InputError naming the first development default the environment still relies on. */
export function refuseDevelopmentDefaults(env: Readonly<Record<string, string | undefined>>): void {
  if (databaseConfigFromEnv(env).databaseUrl === undefined && !env.KUAN_DATA_DIR?.trim()) {
    throw new InputError(
      'KUAN_DATA_DIR',
      'is required with --production when DATABASE_URL is not set: the default ./.kuan is a development folder',
    );
  }
  if (!env.KUAN_CODE_SECRET) {
    throw new InputError(
      'KUAN_CODE_SECRET',
      'is required with --production (the lender’s own, at least 16 characters)',
    );
  }
  if (codeSecretOf(env) === developmentCodeSecret) {
    throw new InputError('KUAN_CODE_SECRET', 'is the public development secret; set the lender’s own');
  }
}
