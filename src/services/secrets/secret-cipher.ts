// Encrypts credentials Flywheel must use later (AES-256-GCM under FLYWHEEL_SECRET_KEY).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError, ValidationError } from '../../domain/errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * AES-256-GCM with additional authenticated data (bind a ciphertext to its owner, e.g.
 * `project:<id>/secret:<name>`, so it cannot be moved to another row).
 * @example const c = new SecretCipher(parseSecretKey(process.env.FLYWHEEL_SECRET_KEY!));
 *          c.decrypt(c.encrypt('pw', 'project:1/secret:db'), 'project:1/secret:db') // 'pw'
 */
export class SecretCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new ValidationError(`secret key must be ${KEY_BYTES} bytes`, { field: 'FLYWHEEL_SECRET_KEY' });
    }
    this.#key = Buffer.from(key); // a private copy: the caller may reuse or zero its buffer
  }

  /** Base64 of iv(12) | tag(16) | ciphertext; a fresh random iv every call. */
  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws AppError 'secret_undecryptable' on a wrong key, wrong aad or tampered data. */
  decrypt(b64: string, aad: string): string {
    const data = Buffer.from(b64, 'base64');
    if (data.length < IV_BYTES + TAG_BYTES) throw undecryptable();
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const body = data.subarray(IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (error) {
      throw undecryptable(error);
    }
  }
}

function undecryptable(cause?: unknown): AppError {
  return new AppError(
    'secret_undecryptable',
    'a stored secret could not be decrypted (wrong FLYWHEEL_SECRET_KEY, or the data was altered)',
    { kind: 'unexpected', cause },
  );
}

/**
 * Parse FLYWHEEL_SECRET_KEY: 64 hex characters, or base64 (or base64url) of 32 bytes.
 * @example parseSecretKey(randomBytes(32).toString('hex'))
 */
export function parseSecretKey(value: string): Buffer {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(v) || /^[A-Za-z0-9_-]{43}$/.test(v)) {
    const key = Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  // Never echo the value: it is (meant to be) a secret.
  throw new ValidationError('FLYWHEEL_SECRET_KEY must be 64 hex characters or the base64 of 32 bytes', {
    field: 'FLYWHEEL_SECRET_KEY',
    length: v.length,
  });
}
