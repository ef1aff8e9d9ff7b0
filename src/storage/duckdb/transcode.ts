// Declared Latin-1 (ISO-8859-1) text converted to UTF-8 before an ingest reads it, in one
// streaming pass that also hashes the original bytes (the version's source is the file as sent).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Write `from` (Latin-1) to `to` as UTF-8; answers the size and sha256 of the original bytes. */
export async function latin1ToUtf8(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  // Every Latin-1 byte is one code point (U+0000–U+00FF), so chunks convert independently.
  const convert = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, Buffer.from(chunk.toString('latin1'), 'utf8'));
    },
  });
  await pipeline(createReadStream(from, { highWaterMark: 1 << 20 }), convert, createWriteStream(to));
  return { bytes, sha256: hash.digest('hex') };
}
