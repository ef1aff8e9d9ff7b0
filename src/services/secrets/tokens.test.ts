// Unit tests of API token generation and hashing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateToken, sha256Hex } from './tokens.js';

describe('generateToken', () => {
  it('is prefix_ + base64url of 32 random bytes', () => {
    const t = generateToken();
    expect(t).toMatch(/^fw_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t.slice(3), 'base64url').length).toBe(32);
    expect(generateToken('fwx')).toMatch(/^fwx_[A-Za-z0-9_-]{43}$/);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()));
    expect(tokens.size).toBe(1000);
  });
});

describe('sha256Hex', () => {
  it('is the lowercase hex sha256 of the UTF-8 string', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('ü')).toBe(createHash('sha256').update(Buffer.from('ü', 'utf8')).digest('hex'));
  });
});
