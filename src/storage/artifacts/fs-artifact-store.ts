// Content-addressed artifact store on the local file system: root/sha256/ab/cd/<hex>, atomic puts.
import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { NotFoundError, UnexpectedError, ValidationError } from '../../domain/errors.js';
import type { ArtifactStore, StoredBlob } from '../../domain/ports/artifact-store.js';

const DIGEST = /^[0-9a-f]{64}$/;

/** Throws ValidationError unless `sha256` is exactly 64 lowercase hex characters. */
export function assertDigest(sha256: unknown): asserts sha256 is string {
  if (typeof sha256 !== 'string' || !DIGEST.test(sha256)) {
    const shown = typeof sha256 === 'string' ? sha256.slice(0, 80) : typeof sha256;
    throw new ValidationError(`artifact digest must be 64 lowercase hex characters (sha256), got '${shown}'`, {
      field: 'sha256',
    });
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Write all of `chunk` (a single fs write may be partial). */
async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await fh.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/** fsync a directory so a rename in it survives a crash; not every platform allows it. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, constants.O_RDONLY);
    await fh.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on some platforms and file systems: best effort only.
  } finally {
    await fh?.close().catch(() => {});
  }
}

export class FsArtifactStore implements ArtifactStore {
  readonly kind = 'fs';
  readonly root: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, 'tmp');
  }

  /** The blob's final path; validates the digest and asserts the path stays inside the root. */
  pathOf(sha256: string): string {
    assertDigest(sha256);
    const file = path.resolve(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    const rel = path.relative(this.root, file);
    if (rel === '' || path.isAbsolute(rel) || rel.split(path.sep)[0] === '..') {
      throw new ValidationError('artifact path escapes the store root', { field: 'sha256' });
    }
    return file;
  }

  async put(source: AsyncIterable<Uint8Array> | Uint8Array): Promise<StoredBlob> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmp, 'wx');
    try {
      const chunks: AsyncIterable<Uint8Array> | Uint8Array[] = source instanceof Uint8Array ? [source] : source;
      for await (const chunk of chunks) {
        if (!(chunk instanceof Uint8Array)) {
          throw new ValidationError('artifact source must yield bytes (Uint8Array chunks)');
        }
        hash.update(chunk);
        size += chunk.byteLength;
        await writeAll(fh, chunk);
      }
      await fh.sync();
    } catch (error) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw error;
    }
    await fh.close();

    const sha256 = hash.digest('hex');
    const file = this.pathOf(sha256);
    try {
      if (await this.exists(file)) {
        await unlink(tmp); // same bytes are stored once
      } else {
        await mkdir(path.dirname(file), { recursive: true });
        // Atomic; a concurrent put of the same bytes may win the race, replacing identical content.
        await rename(tmp, file);
        await syncDir(path.dirname(file));
      }
    } catch (error) {
      await unlink(tmp).catch(() => {});
      throw error;
    }
    return { sha256, size };
  }

  /**
   * Stream a blob out. A bad digest throws ValidationError at once; an unknown one makes the
   * stream fail with NotFoundError when read.
   */
  get(sha256: string): AsyncIterable<Uint8Array> {
    const file = this.pathOf(sha256);
    async function* read(): AsyncGenerator<Uint8Array> {
      let fh: FileHandle;
      try {
        fh = await open(file, 'r');
      } catch (error) {
        if (isCode(error, 'ENOENT')) throw new NotFoundError('artifact', sha256);
        throw error;
      }
      yield* fh.createReadStream(); // closes the handle when done or destroyed
    }
    return Readable.from(read(), { objectMode: false });
  }

  /** The blob's own file (the store's path for the digest); NotFoundError when absent. */
  async localPath(sha256: string): Promise<string> {
    const file = this.pathOf(sha256);
    if (!(await this.exists(file))) throw new NotFoundError('artifact', sha256);
    return file;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== undefined;
  }

  async size(sha256: string): Promise<number | undefined> {
    const file = this.pathOf(sha256);
    try {
      const s = await stat(file);
      return s.isFile() ? s.size : undefined;
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async delete(sha256: string): Promise<boolean> {
    const file = this.pathOf(sha256);
    try {
      await unlink(file);
      return true;
    } catch (error) {
      if (isCode(error, 'ENOENT')) return false;
      throw error;
    }
  }

  /** Checks the root exists (creating it) and is writable. */
  async ping(): Promise<void> {
    const probe = path.join(this.tmpDir, `ping-${randomUUID()}`);
    try {
      await mkdir(this.tmpDir, { recursive: true });
      const fh = await open(probe, 'wx');
      await fh.close();
      await unlink(probe);
    } catch (error) {
      throw new UnexpectedError(`artifact store at '${this.root}' is not writable`, error);
    }
  }

  private async exists(file: string): Promise<boolean> {
    try {
      await stat(file);
      return true;
    } catch (error) {
      if (isCode(error, 'ENOENT')) return false;
      throw error;
    }
  }
}
