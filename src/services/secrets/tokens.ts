// API tokens: high-entropy random strings, stored only as their sha256.
import { createHash, randomBytes } from 'node:crypto';

/**
 * A new token: prefix, underscore, base64url of 32 random bytes (43 chars).
 * @example generateToken() // 'fw_3q2-7wEAAAB...'
 */
export function generateToken(prefix = 'fw'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Lowercase hex sha256 of a UTF-8 string (how tokens are stored and looked up). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
