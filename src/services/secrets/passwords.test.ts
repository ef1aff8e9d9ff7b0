// Unit tests of password hashing, verification and generation.
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('hashPassword / verifyPassword', () => {
  it('hashes as scrypt$N$r$p$salt$hash and verifies', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(parts[4], 'base64').length).toBe(16);
    expect(Buffer.from(parts[5], 'base64').length).toBe(32);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('pw'), hashPassword('pw')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('pw', a)).toBe(true);
    expect(await verifyPassword('pw', b)).toBe(true);
  });

  it('handles unicode passwords', async () => {
    const stored = await hashPassword('pässwörd ✓');
    expect(await verifyPassword('pässwörd ✓', stored)).toBe(true);
    expect(await verifyPassword('passwort ✓', stored)).toBe(false);
  });

  it('returns false (never throws) for malformed stored strings', async () => {
    const good = await hashPassword('pw');
    const [, n, r, p, salt, hash] = good.split('$');
    const malformed = [
      '',
      'plaintext',
      'bcrypt$2b$10$abc',
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
      `argon2$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$abc$${r}$${p}$${salt}$${hash}`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${hash}`, // absurd memory
      `scrypt$${n}$0$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$!!!$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$${n}$${r}$${p}$${salt}$AAAA`,
    ];
    for (const stored of malformed) expect(await verifyPassword('pw', stored), stored).toBe(false);
    expect(await verifyPassword('pw', undefined as unknown as string)).toBe(false);
  });
});

describe('generatePassword', () => {
  it('makes 20 unambiguous URL-safe characters, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(pw).toHaveLength(20);
      expect(pw).toMatch(/^[A-Za-z0-9]+$/);
      expect(pw).not.toMatch(/[0O1lI]/);
      expect(encodeURIComponent(pw)).toBe(pw);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });
});
