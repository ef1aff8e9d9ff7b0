// A real Flywheel for tests: a fresh FLYWHEEL_HOME, a metadata database, the admin's password,
// and either an in-process app (inject) or a server listening on a random loopback port.
import type { FastifyInstance } from 'fastify';
import { join, resolve } from 'node:path';
import { configFromEnv, openPlatform, type Platform } from '../../src/platform.js';
import { buildApp } from '../../src/server/app.js';
import { tempDir } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  platform: Platform;
  admin: { username: string; password: string };
  home: string;
  close(): Promise<void>;
}

export const WEB_ROOT = resolve(import.meta.dirname, '../../dist/web');

export async function createTestApp(opts: { databaseUrl?: string; webRoot?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const home = tempDir('flywheel-home-');
  const config = configFromEnv({
    FLYWHEEL_HOME: home,
    FLYWHEEL_DATABASE_URL: opts.databaseUrl ?? `sqlite:${join(home, 'flywheel.db')}`,
    FLYWHEEL_DEMO: '0',
    // Tests pull sources from servers on this host; the address policy has tests of its own.
    FLYWHEEL_SOURCE_NETWORKS: 'any',
    ...opts.env,
  });
  const platform = await openPlatform(config);
  const boot = await platform.services.users.bootstrapAdmin();
  if (!boot) throw new Error('expected an empty instance');
  const app = await buildApp({ services: platform.services, version: 'test', logger: false, webRoot: opts.webRoot });
  await app.ready();
  return {
    app,
    platform,
    home,
    admin: { username: boot.user.username, password: boot.password },
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

export interface TestServer extends TestApp {
  url: string;
}

/** A listening server on 127.0.0.1 with a random port, serving the built UI from dist/web. */
export async function startTestServer(opts: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const t = await createTestApp({ ...opts, webRoot: WEB_ROOT });
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...t, url: address };
}
