// The content hash of a dataset version, recorded with the runs trained on it: sha256 over its
// Parquet files' own sha256s in order, so equal data gives an equal hash whatever its id.
import { createHash } from 'node:crypto';
import type { DatasetVersion } from '../../domain/datasets.js';

export function dataVersionHash(version: Pick<DatasetVersion, 'files'>): string {
  const h = createHash('sha256');
  for (const f of version.files) h.update(`${f.sha256}\n`);
  return h.digest('hex');
}
