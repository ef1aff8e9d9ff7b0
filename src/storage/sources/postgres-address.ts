// Where a PostgreSQL source may connect: the host of its connection string is resolved once,
// every address it resolves to is checked against the source network policy (address-policy.ts),
// and the connection is pinned to the checked address — so a name cannot resolve to an allowed
// address when checked and to a refused one when the driver connects (DNS rebinding). The driver
// still knows the host by its name, so TLS sends that name (SNI) and checks the certificate
// against it. A Unix socket (a host starting with '/', e.g. `?host=/var/run/postgresql`) is on
// this host: refused unless every address is allowed.
import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, Socket } from 'node:net';
import type { SourceNetworks } from '../../domain/ports/source-reader.js';
import { refusedAddress, refusedAmong, RefusedAddressError } from './address-policy.js';

/** Every address of a host name (the system resolver by default; tests pass their own). */
export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: LookupAll = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * The address a source may connect to for `host` under `networks`: the host itself when it is an
 * address, else the first address it resolves to once all of them are allowed. Throws
 * RefusedAddressError naming the refused address (or the Unix socket).
 * @example await allowedAddress('db.internal', 'private') // '10.0.4.17'
 */
export async function allowedAddress(host: string, networks: SourceNetworks, lookup: LookupAll = systemLookup, timeoutMs = 15_000): Promise<string> {
  if (host.startsWith('/')) {
    if (networks === 'any') return host;
    throw new RefusedAddressError(`the host ${host} is a Unix socket on this host`);
  }
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    const why = refusedAddress(bare, networks);
    if (why) throw new RefusedAddressError(why);
    return bare;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`resolving ${bare} timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  const addresses = await Promise.race([lookup(bare), timeout]).finally(() => clearTimeout(timer));
  if (addresses.length === 0) throw new Error(`${bare} resolves to no address`);
  const why = refusedAmong(bare, addresses.map((a) => a.address), networks);
  if (why) throw new RefusedAddressError(why);
  return addresses[0].address;
}

/** Where pg's socket connects: set once the host's address has been checked. */
export interface Pin {
  address?: string;
}

/**
 * A socket for pg (its `stream` option) that connects to `pin.address` whatever host pg names:
 * pg calls `connect(port, host)` and keeps `host` for TLS, so the checked address is used for
 * the TCP connection and the name for the certificate. Without a pin it connects as asked.
 */
export function pinnedSocket(pin: Pin): Socket {
  const socket = new Socket();
  const connect = socket.connect.bind(socket) as (...args: unknown[]) => Socket;
  socket.connect = ((...args: unknown[]) => {
    const [port] = args;
    if (pin.address !== undefined && (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)))) {
      return connect({ port: Number(port), host: pin.address });
    }
    return connect(...args);
  }) as Socket['connect'];
  return socket;
}
