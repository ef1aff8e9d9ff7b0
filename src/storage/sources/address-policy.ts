// Which network addresses a scheduled source may reach (HTTP: guarded-get.ts; PostgreSQL:
// postgres-address.ts). `any`: every address. `private` (the default: a self-hosted platform
// pulls from its own network): public and private ranges, never loopback (this host), link-local
// (cloud metadata services live at 169.254.169.254), unspecified, multicast or reserved ones.
// `public`: public addresses only.
import { BlockList, isIP } from 'node:net';
import type { SourceNetworks } from '../../domain/ports/source-reader.js';

const never = new BlockList();
never.addSubnet('0.0.0.0', 8, 'ipv4');
never.addSubnet('127.0.0.0', 8, 'ipv4');
never.addSubnet('169.254.0.0', 16, 'ipv4');
never.addSubnet('224.0.0.0', 3, 'ipv4'); // multicast and reserved, up to 255.255.255.255
never.addAddress('::', 'ipv6');
never.addAddress('::1', 'ipv6');
never.addSubnet('fe80::', 10, 'ipv6');
never.addSubnet('ff00::', 8, 'ipv6');

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
privateRanges.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** An IPv4 address written inside IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address. */
function unwrap(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** A connection refused by the address policy (before any byte was sent). */
export class RefusedAddressError extends Error {
  readonly code = 'EADDRREFUSED';
}

/** Why `address` is out of bounds under `networks`, or null when a source may connect to it. */
export function refusedAddress(address: string, networks: SourceNetworks): string | null {
  if (networks === 'any') return null;
  const a = unwrap(address);
  if (never.check(a.address, a.family)) return `${address} is a loopback, link-local or reserved address`;
  if (networks === 'public' && privateRanges.check(a.address, a.family)) return `${address} is a private address`;
  return null;
}

/**
 * Why a host that resolves to `addresses` is out of bounds (the first refused address), or null
 * when every one is allowed: a name is allowed only when all its addresses are.
 * @example refusedAmong('db.internal', ['10.0.0.5', '127.0.0.1'], 'private') // 'db.internal resolves to 127.0.0.1 is a loopback, ...'
 */
export function refusedAmong(hostname: string, addresses: readonly string[], networks: SourceNetworks): string | null {
  for (const address of addresses) {
    const why = refusedAddress(address, networks);
    if (why) return `${hostname} resolves to ${why}`;
  }
  return null;
}
