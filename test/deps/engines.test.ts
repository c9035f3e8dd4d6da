// Every installed package runs on the Node the project supports: package.json says `engines.node >=20`
// (the machines and CI run Node 20), so no package in package-lock.json may declare an `engines.node`
// range that leaves Node 20 out — cookie@2 and content-disposition@3 (ESM only, Node ≥ 22) did, and are
// pinned to their Node-20 majors by `overrides` in package.json. Ranges are read with semver (installed
// with the tree; range syntax is too easy to get wrong by hand).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const semver = require('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

interface LockPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockPackage>;
};
const project = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

/** The Node 20 releases the project must run on: the first LTS release and the line's latest we know. */
const NODE_20 = ['20.9.0', '20.19.0'];

describe('engines', () => {
  it('the project itself supports Node 20', () => {
    for (const version of NODE_20) expect(semver.satisfies(version, project.engines.node)).toBe(true);
  });

  it('no package in package-lock.json declares an engines.node range without Node 20', () => {
    const excluding: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (path === '' || range === undefined) continue;
      if (!NODE_20.some((version) => semver.satisfies(version, range))) {
        excluding.push(`${path}@${entry.version ?? '?'} (node ${range})`);
      }
    }
    expect(excluding).toEqual([]);
  });
});
