// Which format a pulled or dropped file is: declared, else its name's extension, else (HTTP) the
// answer's Content-Type.
import { DATA_FORMATS, type DataFormat } from '../../domain/datasets.js';

const BY_EXTENSION: Record<string, DataFormat> = { csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', parquet: 'parquet' };

const BY_MEDIA_TYPE: Record<string, DataFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
};

export function isDataFormat(v: unknown): v is DataFormat {
  return typeof v === 'string' && (DATA_FORMATS as readonly string[]).includes(v);
}

/** The format a file name (or URL path) implies by its extension, or null. */
export function formatOfName(name: string): DataFormat | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext ? (BY_EXTENSION[ext] ?? null) : null;
}

/** The format a media type implies, or null (e.g. for application/octet-stream). */
export function formatOfMediaType(type: string | null): DataFormat | null {
  return type ? (BY_MEDIA_TYPE[type.toLowerCase()] ?? null) : null;
}
