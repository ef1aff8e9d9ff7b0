// The address policy of scheduled sources: loopback, link-local (cloud metadata) and reserved
// addresses are refused unless every address is allowed; private ranges only under `public`.
import { describe, expect, it } from 'vitest';
import { refusedAddress } from './address-policy.js';

describe('refusedAddress', () => {
  it('refuses this host, link-local and reserved addresses by default, and allows public and private ones', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '169.254.169.254', '0.0.0.0', '::1', '::', 'fe80::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '239.1.1.1', '255.255.255.255']) {
      expect(refusedAddress(a, 'private'), a).toMatch(/loopback, link-local or reserved/);
    }
    for (const a of ['93.184.216.34', '10.1.2.3', '172.20.0.5', '192.168.1.10', '100.64.0.1', 'fd00::5', '2606:2800:220:1::1', '::ffff:10.0.0.1']) {
      expect(refusedAddress(a, 'private'), a).toBeNull();
    }
  });

  it('under public, refuses private ranges too; under any, refuses nothing', () => {
    for (const a of ['10.1.2.3', '172.31.255.255', '192.168.0.1', 'fd12::1', '::ffff:192.168.0.1']) expect(refusedAddress(a, 'public'), a).toMatch(/private address/);
    expect(refusedAddress('93.184.216.34', 'public')).toBeNull();
    expect(refusedAddress('172.32.0.1', 'public')).toBeNull();
    for (const a of ['127.0.0.1', '169.254.169.254', '10.0.0.1']) expect(refusedAddress(a, 'any')).toBeNull();
  });
});
