// Save an uploaded body to a fresh scratch folder under the instance's tmp folder, streaming
// (never the whole body in memory), bounded by a byte limit. The path never comes from input.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError } from '../../domain/errors.js';

export type UploadSource = AsyncIterable<Uint8Array> | NodeJS.ReadableStream | Uint8Array;

/** A scratch folder (tmpDir/<prefix>XXXXXX) and a way to remove it. */
export async function scratchDir(tmpDir: string, prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  let dir: string;
  try {
    dir = await mkdtemp(path.join(tmpDir, prefix));
  } catch (error) {
    // The scratch root is made when first needed (not checked before every push).
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(tmpDir, { recursive: true });
    dir = await mkdtemp(path.join(tmpDir, prefix));
  }
  // Removed once, however often asked (a push removes its folder early and again on the way out).
  let removed: Promise<void> | undefined;
  return { dir, remove: () => (removed ??= rm(dir, { recursive: true, force: true })) };
}

/** Stream `source` into `file`; throws PayloadTooLargeError past `maxBytes` (the file is left for the caller to remove). */
export async function saveUpload(source: UploadSource, file: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(new PayloadTooLargeError(`the upload is larger than ${maxBytes} bytes`, { field: 'body', limit: maxBytes }));
      else done(null, chunk);
    },
  });
  const input = source instanceof Uint8Array ? [source] : source;
  await pipeline(input as AsyncIterable<Uint8Array>, limit, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return bytes;
}
