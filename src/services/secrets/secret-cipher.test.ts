// Unit tests of the AES-256-GCM secret cipher and FLYWHEEL_SECRET_KEY parsing.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../../domain/errors.js';
import { parseSecretKey, SecretCipher } from './secret-cipher.js';

const key = randomBytes(32);
const cipher = new SecretCipher(key);
const aad = 'project:p1/secret:db';

function expectUndecryptable(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('secret_undecryptable');
    expect((error as AppError).kind).toBe('unexpected');
    return;
  }
  throw new Error('expected secret_undecryptable');
}

describe('SecretCipher', () => {
  it('round-trips text, including unicode and the empty string', () => {
    for (const text of ['postgres://u:p@h/db', 'ünïcødé ✓ 秘密', '', 'x'.repeat(70_000)]) {
      expect(cipher.decrypt(cipher.encrypt(text, aad), aad)).toBe(text);
    }
  });

  it('lays out iv(12) | tag(16) | ciphertext in base64', () => {
    const raw = Buffer.from(cipher.encrypt('abc', aad), 'base64');
    expect(raw.length).toBe(12 + 16 + 3);
  });

  it('uses a fresh iv for every encryption', () => {
    const outs = Array.from({ length: 50 }, () => cipher.encrypt('same', aad));
    expect(new Set(outs).size).toBe(50);
    expect(new Set(outs.map((o) => Buffer.from(o, 'base64').subarray(0, 12).toString('hex'))).size).toBe(50);
  });

  it('detects tampering anywhere (iv, tag, ciphertext) and truncation', () => {
    const raw = Buffer.from(cipher.encrypt('top secret', aad), 'base64');
    for (const at of [0, 11, 12, 27, 28, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] ^= 0x01;
      expectUndecryptable(() => cipher.decrypt(bad.toString('base64'), aad));
    }
    expectUndecryptable(() => cipher.decrypt(raw.subarray(0, 20).toString('base64'), aad));
    expectUndecryptable(() => cipher.decrypt('', aad));
  });

  it('fails with the wrong key', () => {
    const other = new SecretCipher(randomBytes(32));
    expectUndecryptable(() => other.decrypt(cipher.encrypt('top secret', aad), aad));
  });

  it('fails with the wrong aad', () => {
    expectUndecryptable(() => cipher.decrypt(cipher.encrypt('top secret', aad), 'project:p2/secret:db'));
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow(ValidationError);
  });
});

describe('parseSecretKey', () => {
  const raw = randomBytes(32);

  it('accepts 64 hex characters (either case) and base64 / base64url of 32 bytes', () => {
    expect(parseSecretKey(raw.toString('hex'))).toEqual(raw);
    expect(parseSecretKey(raw.toString('hex').toUpperCase())).toEqual(raw);
    expect(parseSecretKey(raw.toString('base64'))).toEqual(raw);
    expect(parseSecretKey(raw.toString('base64url'))).toEqual(raw);
    expect(parseSecretKey(`  ${raw.toString('hex')}\n`)).toEqual(raw);
  });

  it.each([
    ['empty', ''],
    ['short hex', 'ab'.repeat(31)],
    ['long hex', 'ab'.repeat(33)],
    ['not hex', 'zz'.repeat(32)],
    ['base64 of 16 bytes', Buffer.alloc(16, 7).toString('base64')],
    ['base64 of 48 bytes', Buffer.alloc(48, 7).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
  ])('rejects %s, naming FLYWHEEL_SECRET_KEY', (_name, value) => {
    expect(() => parseSecretKey(value)).toThrow(ValidationError);
    expect(() => parseSecretKey(value)).toThrow(/FLYWHEEL_SECRET_KEY/);
  });

  it('does not echo the rejected value', () => {
    expect.hasAssertions();
    const value = 'my-very-secret-passphrase';
    try {
      parseSecretKey(value);
    } catch (error) {
      expect(JSON.stringify({ m: (error as Error).message, d: (error as AppError).details })).not.toContain(value);
    }
  });
});
