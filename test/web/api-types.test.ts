// The console's API types (web/src/api/openapi.ts) are generated from the server's route schemas; this
// fails when a route's schema changed and the committed file was not regenerated, so the console is
// never compiled against an API that no longer exists.
import { describe, expect, it } from 'vitest';
import { committedApiTypes, generateApiTypes } from '../../scripts/api-types.ts';

describe('generated console API types', () => {
  it('web/src/api/openapi.ts equals a fresh generation from /openapi.json (npm run gen:api-types)', async () => {
    const committed = await committedApiTypes();
    expect(committed, 'web/src/api/openapi.ts is missing: run npm run gen:api-types').not.toBeNull();
    const fresh = await generateApiTypes();
    expect(committed === fresh, 'web/src/api/openapi.ts is stale: run npm run gen:api-types and commit it').toBe(true);
  });
});
