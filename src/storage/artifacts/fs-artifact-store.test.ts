// Unit tests of the file-system artifact store and of the scheme registry that opens it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { FsArtifactStore } from './fs-artifact-store.js';
import { openArtifactStore } from './open-artifact-store.js';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random chunks; `hash` receives every byte produced. */
async function* chunks(count: number, size: number, hash?: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  let x = 12345;
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(size);
    for (let j = 0; j < size; j += 4) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      buf.writeUInt32LE(x, j);
    }
    hash?.update(buf);
    await new Promise((r) => setImmediate(r));
    yield buf;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every regular file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile());
}

let root: string;
let store: FsArtifactStore;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'flywheel-artifacts-'));
  store = new FsArtifactStore(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FsArtifactStore', () => {
  it('round-trips bytes; the digest is the sha256 of the content; laid out as sha256/ab/cd/<hex>', async () => {
    const bytes = Buffer.from('hello, flywheel\n');
    const blob = await store.put(bytes);
    expect(blob).toEqual({ sha256: sha256(bytes), size: bytes.length });
    expect(await collect(store.get(blob.sha256))).toEqual(bytes);
    expect(await store.has(blob.sha256)).toBe(true);
    expect(await store.size(blob.sha256)).toBe(bytes.length);
    const h = blob.sha256;
    expect(await store.localPath(h)).toBe(path.join(root, 'sha256', h.slice(0, 2), h.slice(2, 4), h));
    expect(filesUnder(path.join(root, 'sha256'))).toEqual([path.join(h.slice(0, 2), h.slice(2, 4), h)]);
    expect(filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('round-trips an empty blob', async () => {
    const blob = await store.put(new Uint8Array(0));
    expect(blob).toEqual({ sha256: sha256(new Uint8Array(0)), size: 0 });
    expect((await collect(store.get(blob.sha256))).length).toBe(0);
  });

  it('streams a multi-MB async source in and out', async () => {
    const expected = createHash('sha256');
    const blob = await store.put(chunks(48, 128 * 1024, expected)); // 6 MiB
    expect(blob.size).toBe(48 * 128 * 1024);
    expect(blob.sha256).toBe(expected.digest('hex'));
    const out = await collect(store.get(blob.sha256));
    expect(out.length).toBe(blob.size);
    expect(sha256(out)).toBe(blob.sha256);
  });

  it('stores the same bytes once', async () => {
    const a = await store.put(Buffer.from('same'));
    const b = await store.put((async function* () {
      yield Buffer.from('sa');
      yield Buffer.from('me');
    })());
    expect(b).toEqual(a);
    expect(filesUnder(path.join(root, 'sha256'))).toHaveLength(1);
    expect(filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('accepts concurrent puts of the same content', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.put(chunks(8, 64 * 1024))),
    );
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    expect(filesUnder(path.join(root, 'sha256'))).toHaveLength(1);
    expect(filesUnder(path.join(root, 'tmp'))).toEqual([]);
    expect(sha256(await collect(store.get(results[0].sha256)))).toBe(results[0].sha256);
  });

  it('leaves no blob and no temp file when the source throws midway', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(64 * 1024, 1);
      yield Buffer.alloc(64 * 1024, 2);
      throw new Error('source broke');
    }
    await expect(store.put(failing())).rejects.toThrow('source broke');
    expect(filesUnder(root)).toEqual([]);
  });

  it('throws NotFoundError for an unknown digest', async () => {
    const unknown = sha256(Buffer.from('never stored'));
    await expect(collect(store.get(unknown))).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.has(unknown)).toBe(false);
    expect(await store.size(unknown)).toBeUndefined();
    expect(await store.delete(unknown)).toBe(false);
    await expect(store.localPath(unknown)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes a blob', async () => {
    const { sha256: h } = await store.put(Buffer.from('to delete'));
    expect(await store.delete(h)).toBe(true);
    expect(await store.has(h)).toBe(false);
    await expect(collect(store.get(h))).rejects.toBeInstanceOf(NotFoundError);
  });

  const bad = ['../../etc/passwd', 'A'.repeat(64), 'abc123', 'g'.repeat(64), `${'a'.repeat(64)}/`, `../${'a'.repeat(61)}`, ''];
  it.each(bad)('rejects the bad digest %j with ValidationError', async (digest) => {
    expect(() => store.get(digest)).toThrow(ValidationError);
    await expect(store.has(digest)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.size(digest)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.delete(digest)).rejects.toBeInstanceOf(ValidationError);
    expect(() => store.pathOf(digest)).toThrow(ValidationError);
  });

  it('keeps every path inside the root', () => {
    const h = 'ab'.repeat(32);
    expect(store.pathOf(h)).toBe(path.join(root, 'sha256', 'ab', 'ab', h));
  });

  it('pings a writable root, creating it when missing', async () => {
    await new FsArtifactStore(path.join(root, 'nested', 'store')).ping();
    expect(existsSync(path.join(root, 'nested', 'store', 'tmp'))).toBe(true);
  });

  it('fails ping when the root cannot be created', async () => {
    await store.put(Buffer.from('x'));
    const h = sha256(Buffer.from('x'));
    // A file where a directory is expected.
    await expect(new FsArtifactStore(store.pathOf(h)).ping()).rejects.toThrow(/not writable/);
  });
});

describe('openArtifactStore', () => {
  it('opens a bare path or a file:// URL as a folder store', async () => {
    const a = await openArtifactStore(root);
    expect(a.kind).toBe('fs');
    expect((a as FsArtifactStore).root).toBe(root);
    const b = await openArtifactStore(pathToFileURL(root).href);
    expect((b as FsArtifactStore).root).toBe(root);
  });

  it('says S3 is not available yet', async () => {
    await expect(openArtifactStore('s3://bucket/prefix')).rejects.toThrow(/S3 artifact storage is not available yet/);
    await expect(openArtifactStore('s3://bucket/prefix')).rejects.toBeInstanceOf(ValidationError);
  });

  it('rejects unknown schemes and empty locations', async () => {
    await expect(openArtifactStore('gs://bucket')).rejects.toBeInstanceOf(ValidationError);
    await expect(openArtifactStore('')).rejects.toBeInstanceOf(ValidationError);
  });
});
