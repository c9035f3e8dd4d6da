// `npm run gen:api-types` writes web/src/api/openapi.ts from the server's route schemas;
// `npm run check:api-types` (`--check`) writes nothing and exits 1 when the committed file is stale.
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { API_TYPES_PATH, committedApiTypes, generateApiTypes } from './api-types.ts';

const check = process.argv.includes('--check');
const fresh = await generateApiTypes();
const committed = await committedApiTypes();
const shown = relative(process.cwd(), API_TYPES_PATH);

if (check) {
  if (committed !== fresh) {
    console.error(
      `${shown} is stale: the API's route schemas changed since it was generated. ` +
        'Run `npm run gen:api-types` and commit the result.',
    );
    process.exit(1);
  }
  console.log(`${shown} is up to date`);
} else if (committed === fresh) {
  console.log(`${shown} is up to date`);
} else {
  await writeFile(API_TYPES_PATH, fresh);
  console.log(`wrote ${shown}`);
}
