// The console's API types, generated from the server's own OpenAPI document: the API app is built
// in-process over no database at all (nothing listens; building the routes reads and writes nothing, and
// a database that throws on first use keeps it so), its /openapi.json document is turned into TypeScript
// by openapi-typescript and formatted with the repository's prettier settings.
// Invariant: the output depends only on the route schemas (no timestamps, no paths of this machine), so
// a fresh generation equals the committed file exactly unless a schema changed.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import prettier from 'prettier';
import { buildApi } from '../src/api/index.ts';
import type { Database } from '../src/store/index.ts';

/** The generated file the console imports its API types from. */
export const API_TYPES_PATH = fileURLToPath(new URL('../web/src/api/openapi.ts', import.meta.url));

const HEADER = `// Generated from the API's OpenAPI document (/openapi.json) by scripts/gen-api-types.ts: do not edit.
// Regenerate with \`npm run gen:api-types\`; \`npm run check:api-types\` (and the test suite) fail when stale.
`;

/** A database for building the app only: any use is a bug in the generator's assumption, said loudly. */
const noDatabase = new Proxy({} as Database, {
  get(_target, member) {
    throw new Error(`generating the API types needs no database, but building the API used db.${String(member)}`);
  },
});

/** The OpenAPI document the server publishes at /openapi.json. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const api = await buildApi({ db: noDatabase });
  try {
    return api.app.swagger() as unknown as OpenAPI3;
  } finally {
    await api.close();
  }
}

/** The text of web/src/api/openapi.ts as it should be now. */
export async function generateApiTypes(): Promise<string> {
  const document = await openApiDocument();
  const nodes = await openapiTS(document, { silent: true });
  const config = (await prettier.resolveConfig(API_TYPES_PATH)) ?? {};
  return prettier.format(HEADER + astToString(nodes), { ...config, filepath: API_TYPES_PATH });
}

/** The committed file's text, or null when it does not exist. */
export async function committedApiTypes(): Promise<string | null> {
  try {
    return await readFile(API_TYPES_PATH, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
