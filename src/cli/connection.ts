// How a CLI command reaches Flywheel: remote (FLYWHEEL_URL + FLYWHEEL_TOKEN over HTTP) or
// local (the same Fastify app opened in-process on FLYWHEEL_HOME, called through inject).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { createClient, fetchTransport, type FlywheelClient, type Transport, type WireRequest } from '../client/index.js';
import { configFromEnv, openPlatform, type Platform } from '../platform.js';
import { buildApp } from '../server/app.js';
import { pino } from 'pino';
import { startWorkers } from '../platform/workers.js';
import { LOCAL_HEADER } from '../server/authenticate.js';
import type { Principal } from '../server/authenticate.js';
import { AppError } from '../domain/errors.js';
import type { CliIo } from './io.js';

export interface Connection {
  client: FlywheelClient;
  mode: 'local' | 'remote';
  close(): Promise<void>;
}

/** Make sure the instance has an admin; print a new one's password once (stderr). */
export async function ensureAdmin(platform: Platform, io: CliIo): Promise<boolean> {
  const boot = await platform.services.users.bootstrapAdmin();
  if (!boot) return false;
  {
    io.err(`Created the admin account. Sign in as '${boot.user.username}' with password: ${boot.password}`);
    io.err('This password is shown once. Recover it with `flywheel user reset-password admin`.');
  }
  return true;
}

async function firstAdmin(platform: Platform): Promise<Principal> {
  let cursor: string | null = null;
  do {
    const page = await platform.store.users.list({ cursor, limit: 100 });
    const admin = page.items.find((u) => u.is_admin && !u.disabled);
    if (admin) return { user: admin, via: 'local' };
    cursor = page.next_cursor;
  } while (cursor);
  throw new AppError('no_admin', 'this instance has no active admin: run `flywheel user reset-password USER` on an admin');
}

/** A request body as app.inject takes it: text, a Buffer, or a Node stream of an upload. */
function injectable(body: WireRequest['body']): string | Buffer | Readable | undefined {
  if (body === undefined || typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable) return body;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return Readable.from(body.stream() as unknown as AsyncIterable<Uint8Array>);
  return Readable.from(body as AsyncIterable<Uint8Array>);
}

export interface InProcess {
  app: FastifyInstance;
  /** Acts as the instance's first admin (the local CLI). */
  admin: FlywheelClient;
  /** Acts with an API token, as a remote client would. */
  withToken(token: string): FlywheelClient;
  close(): Promise<void>;
}

/** The API opened in-process on a platform, reached through Fastify's inject. */
export async function openInProcess(platform: Platform): Promise<InProcess> {
  const secret = randomBytes(32).toString('hex');
  let principal: Promise<Principal> | undefined;
  const app = await buildApp({
    services: platform.services,
    version: 'local',
    logger: false,
    local: { secret, principal: () => (principal ??= firstAdmin(platform)) },
  });
  const inject = (extra: Record<string, string>): Transport => ({
    async send(req) {
      const res = await app.inject({
        method: req.method as 'GET',
        url: req.url,
        headers: { ...req.headers, ...extra },
        payload: injectable(req.body),
      });
      return { status: res.statusCode, body: res.body };
    },
  });
  return {
    app,
    admin: createClient(inject({ [LOCAL_HEADER]: secret })),
    withToken: (token) => createClient(inject({ authorization: `Bearer ${token}` })),
    close: () => app.close(),
  };
}

/**
 * Local mode. With `workers`, background jobs are run by this command while it lasts (e.g.
 * `flywheel train` on a home where no `flywheel up` is running).
 */
export async function openLocal(io: CliIo, options: { workers?: boolean } = {}): Promise<Connection & { platform: Platform }> {
  const platform = await openPlatform(configFromEnv(io.env));
  await ensureAdmin(platform, io);
  const local = await openInProcess(platform);
  const pool = options.workers ? startWorkers(platform, pino({ level: 'warn' })) : undefined;
  return {
    client: local.admin,
    mode: 'local',
    platform,
    async close() {
      await pool?.stop();
      await local.close();
      await platform.close();
    },
  };
}

export async function openConnection(io: CliIo, options: { workers?: boolean } = {}): Promise<Connection> {
  const url = io.env.FLYWHEEL_URL;
  if (url) {
    const token = io.env.FLYWHEEL_TOKEN;
    if (!token) throw new AppError('invalid_input', 'FLYWHEEL_URL is set but FLYWHEEL_TOKEN is not: create one with `flywheel token create`');
    return { client: createClient(fetchTransport(url, { token })), mode: 'remote', close: async () => undefined };
  }
  return openLocal(io, options);
}
