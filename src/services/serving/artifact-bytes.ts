// Read a whole artifact into memory (model files are loaded whole by the runtime anyway).
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';

export async function readArtifact(artifacts: ArtifactStore, sha256: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of artifacts.get(sha256)) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
