// Open the artifact store named by FLYWHEEL_ARTIFACTS: the one place that picks the adapter by scheme.
//   /abs/path, ./rel/path, file:///abs/path → FsArtifactStore
//   s3://bucket/prefix                      → not in this build yet
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../domain/errors.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import { FsArtifactStore } from './fs-artifact-store.js';

type Opener = (url: string) => Promise<ArtifactStore>;

/** Adapters by URL scheme; add one line per adapter (load heavy SDKs lazily with `import()`). */
const OPENERS: Record<string, Opener> = {
  file: async (url) => new FsArtifactStore(filePath(url)),
  s3: async () => {
    throw new ValidationError('S3 artifact storage is not available yet in this build (use a folder path)', {
      field: 'FLYWHEEL_ARTIFACTS',
    });
  },
};

function filePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw new ValidationError(`invalid file URL '${url}' (use file:///absolute/path)`, {
      field: 'FLYWHEEL_ARTIFACTS',
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The scheme of `url`, or undefined for a bare path (`C:\...` counts as a path, not scheme `c`). */
function schemeOf(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!m || m[1].length === 1) return undefined;
  return m[1].toLowerCase();
}

/**
 * Open an artifact store from a URL or a bare path.
 * @example await openArtifactStore('/var/lib/flywheel/artifacts')
 * @example await openArtifactStore('file:///var/lib/flywheel/artifacts')
 */
export async function openArtifactStore(url: string): Promise<ArtifactStore> {
  if (url.trim() === '') {
    throw new ValidationError('artifact store location is empty', { field: 'FLYWHEEL_ARTIFACTS' });
  }
  const scheme = schemeOf(url);
  if (scheme === undefined) return new FsArtifactStore(url);
  const opener = OPENERS[scheme];
  if (!opener) {
    throw new ValidationError(
      `unsupported artifact store scheme '${scheme}://' (use a folder path, file:// or s3://)`,
      { field: 'FLYWHEEL_ARTIFACTS', supported: Object.keys(OPENERS) },
    );
  }
  return opener(url);
}
