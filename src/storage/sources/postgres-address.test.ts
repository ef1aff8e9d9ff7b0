// The address policy on PostgreSQL sources, without a database: hosts written as addresses, names
// (every address they resolve to is checked), Unix sockets; a refused host is never connected to
// (a TCP server on this host counts connections); and the connection goes to the address that
// was checked — a name resolved again to another address is not followed — while TLS still
// sends the host's name (SNI).
import type { LookupAddress } from 'node:dns';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedAddress, type LookupAll } from './postgres-address.js';
import { queryPostgres } from './postgres-query.js';

/** A resolver answering from a table, counting its calls. */
function fakeLookup(table: Record<string, string[]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(fn, { calls });
}

describe('allowedAddress (PostgreSQL hosts)', () => {
  const lookup = fakeLookup({
    'db.internal': ['10.0.4.17'],
    'warehouse.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'split.example.com': ['93.184.216.34', '127.0.0.1'],
    'metadata.example.com': ['169.254.169.254'],
    'db6.internal': ['fd00::17'],
  });

  it('refuses this host, link-local and reserved hosts by default, written as addresses or names', async () => {
    for (const host of ['127.0.0.1', '[::1]', '::1', '169.254.169.254', '0.0.0.0', '::ffff:127.0.0.1']) {
      await expect(allowedAddress(host, 'private', lookup), host).rejects.toThrow(/loopback, link-local or reserved/);
    }
    await expect(allowedAddress('metadata.example.com', 'private', lookup)).rejects.toThrow('metadata.example.com resolves to 169.254.169.254 is a loopback, link-local or reserved address');
  });

  it('checks every address a name resolves to: one refused address refuses the name', async () => {
    await expect(allowedAddress('split.example.com', 'private', lookup)).rejects.toThrow('split.example.com resolves to 127.0.0.1 is a loopback');
    await expect(allowedAddress('split.example.com', 'public', lookup)).rejects.toThrow(/127\.0\.0\.1/);
    expect(await allowedAddress('warehouse.example.com', 'private', lookup)).toBe('93.184.216.34');
  });

  it('allows private ranges under private and refuses them under public; under any allows all', async () => {
    expect(await allowedAddress('db.internal', 'private', lookup)).toBe('10.0.4.17');
    expect(await allowedAddress('db6.internal', 'private', lookup)).toBe('fd00::17');
    expect(await allowedAddress('10.1.2.3', 'private', lookup)).toBe('10.1.2.3');
    await expect(allowedAddress('db.internal', 'public', lookup)).rejects.toThrow('db.internal resolves to 10.0.4.17 is a private address');
    await expect(allowedAddress('192.168.7.7', 'public', lookup)).rejects.toThrow(/private address/);
    expect(await allowedAddress('127.0.0.1', 'any', lookup)).toBe('127.0.0.1');
    expect(await allowedAddress('split.example.com', 'any', lookup)).toBe('93.184.216.34');
  });

  it('refuses a Unix socket unless every address is allowed, and passes a resolver failure on', async () => {
    await expect(allowedAddress('/var/run/postgresql', 'private', lookup)).rejects.toThrow('the host /var/run/postgresql is a Unix socket on this host');
    await expect(allowedAddress('/tmp', 'public', lookup)).rejects.toThrow(/Unix socket/);
    expect(await allowedAddress('/tmp', 'any', lookup)).toBe('/tmp');
    await expect(allowedAddress('nowhere.invalid', 'private', lookup)).rejects.toThrow(/ENOTFOUND nowhere\.invalid/);
  });

  it('gives up on a resolver that does not answer', async () => {
    const never: LookupAll = () => new Promise(() => undefined);
    await expect(allowedAddress('slow.example.com', 'private', never, 50)).rejects.toThrow('resolving slow.example.com timed out');
  });
});

describe('queryPostgres within the address policy', () => {
  let server: Server;
  let port = 0;
  /** The local address of each connection the server accepted. */
  const accepted: string[] = [];
  /** The server names TLS clients sent. */
  const serverNames: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-pgpolicy-'));
  let n = 0;
  const request = (connectionString: string) => ({ connectionString, sql: 'SELECT 1', dest: join(dir, `rows-${n++}.jsonl`), maxRows: 10, statementTimeoutMs: 2_000, connectTimeoutMs: 2_000 });
  // An address of this machine that is not loopback, if it has any.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

  beforeAll(async () => {
    // Not PostgreSQL: it answers an SSLRequest with 'S' and reads the TLS hello's server name; anything else is hung up on.
    server = createServer((socket: Socket) => {
      accepted.push(socket.localAddress ?? '');
      socket.on('error', () => undefined);
      socket.once('data', (buf) => {
        if (buf.length !== 8 || buf.readInt32BE(4) !== 80877103) return void socket.destroy();
        socket.write('S');
        const tls = new TLSSocket(socket, {
          isServer: true,
          SNICallback: (name, done) => {
            serverNames.push(name);
            done(new Error('the test ends here'));
          },
        });
        tls.on('error', () => socket.destroy());
      });
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('refuses this host by address, by name and by socket before connecting, naming the policy and never the password', async () => {
    const before = accepted.length;
    const byAddress = await queryPostgres(request(`postgres://loader:pw-7c1e9a@127.0.0.1:${port}/sales`), 'private').catch((e: Error) => e);
    expect(byAddress).toBeInstanceOf(Error);
    expect((byAddress as Error).message).toBe(`PostgreSQL: connecting to postgres://127.0.0.1:${port}/sales refused: 127.0.0.1 is a loopback, link-local or reserved address (FLYWHEEL_SOURCE_NETWORKS=private)`);
    await expect(queryPostgres(request(`postgres://loader:pw-7c1e9a@localhost:${port}/sales`), 'private')).rejects.toThrow(/refused: localhost resolves to .* loopback/);
    // Query values are hidden in messages (they may hold credentials), the socket's path too.
    await expect(queryPostgres(request(`postgres://loader:pw-7c1e9a@db.example.com:${port}/sales?host=/tmp`), 'public')).rejects.toThrow(
      /refused: the host \*\*\* is a Unix socket on this host \(FLYWHEEL_SOURCE_NETWORKS=public\)/,
    );
    expect(accepted.length).toBe(before); // nothing reached the server
  });

  it('connects to this host under any', async () => {
    const before = accepted.length;
    await expect(queryPostgres(request(`postgres://loader:pw@127.0.0.1:${port}/sales`), 'any')).rejects.toThrow(/^PostgreSQL: /);
    expect(accepted.length).toBe(before + 1);
  });

  it.skipIf(!lan)('connects to the checked address, not to what the name resolves to later, and keeps the name for TLS', async () => {
    // The first answer is allowed; a later one (a rebinding resolver) would point at this host.
    let answers = 0;
    const rebinding: LookupAll = async () => [{ address: answers++ === 0 ? lan! : '127.0.0.1', family: 4 }];
    const before = accepted.length;
    await expect(queryPostgres(request(`postgres://loader:pw@db.example.test:${port}/sales?ssl=true`), 'private', rebinding)).rejects.toThrow(/^PostgreSQL: /);
    expect(answers).toBe(1); // resolved once: the driver never resolved the name itself
    expect(accepted.slice(before)).toEqual([lan]);
    expect(serverNames).toEqual(['db.example.test']);
  });
});
