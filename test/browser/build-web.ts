// Builds the web UI into dist/web when it is missing or older than its sources (browser tests).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const indexHtml = join(repoRoot, 'dist/web/index.html');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Sources the bundle depends on: the UI, the layers it imports, and the Vite config. */
const SOURCES = ['web', 'src/client', 'src/contracts', 'src/domain', 'vite.config.ts'];

export function webBuildIsStale(): boolean {
  if (!existsSync(indexHtml)) return true;
  const built = statSync(indexHtml).mtimeMs;
  return SOURCES.some((s) => existsSync(join(repoRoot, s)) && newestMtime(join(repoRoot, s)) > built);
}

/** Run `vite build` with the repo's config (through Vite's JS API) when the build is stale. */
export async function ensureWebBuilt(): Promise<void> {
  if (!webBuildIsStale()) return;
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  if (!existsSync(indexHtml)) throw new Error(`vite build finished but ${indexHtml} is missing`);
}
