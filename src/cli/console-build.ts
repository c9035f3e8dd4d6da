// The console and portal are a Vite build (web/ → web/dist). A fresh checkout has no build yet, so the
// commands that serve them (`kuan demo`, `kuan serve`) build it once, here, before serving.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './io.ts';

const webConfig = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));
export const consoleDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Builds web/dist when it is missing (and the sources are present); returns whether it exists afterwards. */
export async function ensureConsoleBuilt(io: CliIo): Promise<boolean> {
  if (existsSync(`${consoleDist}/index.html`)) return true;
  if (!existsSync(webConfig)) return false;
  io.stderr.write('building the console and portal once (vite build, about a minute)…\n');
  const vite = await import('vite');
  await vite.build({ configFile: webConfig, logLevel: 'warn' });
  return existsSync(`${consoleDist}/index.html`);
}
