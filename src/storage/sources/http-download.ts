// Download an HTTP(S) URL to a local file, streamed (never the whole body in memory), bounded by
// a byte limit and a timeout, connecting only to addresses the source network policy allows
// (guarded-get.ts). A non-2xx answer, a wrong scheme, a refused address, a body too large or too
// slow fails with a readable AppError that names the URL without its credentials.
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { redactUrl } from '../../domain/dataset-sources.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import type { HttpDownload, HttpDownloadRequest, SourceNetworks } from '../../domain/ports/source-reader.js';
import { RefusedAddressError } from './address-policy.js';
import { guardedGet } from './guarded-get.js';
import { scrub, secretsOf } from './scrub.js';

/** A pull that could not fetch its source (the remote side, the network, a limit). */
export function pullError(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('source_failed', message, { details });
}

function mediaType(header: string | null): string | null {
  const type = header?.split(';')[0].trim().toLowerCase();
  return type ? type : null;
}

/**
 * @example await downloadHttp({ url: 'https://example.com/data.csv', dest: '/tmp/x/source', maxBytes: 1e9, timeoutMs: 300_000 })
 */
export async function downloadHttp(req: HttpDownloadRequest, networks: SourceNetworks = 'private'): Promise<HttpDownload> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new ValidationError('the source URL is not a valid URL', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`the source URL must be http:// or https://, not ${url.protocol}//`, { field: 'url' });
  }
  const shown = redactUrl(req.url);
  const hidden = secretsOf(req.url);
  // Credentials in the URL go in an Authorization header (and never into a message).
  const headers: Record<string, string> = { accept: 'text/csv, application/x-ndjson, application/vnd.apache.parquet, */*;q=0.5' };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const seconds = Math.round(req.timeoutMs / 1000);
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  const failed = (error: unknown): AppError => {
    if (error instanceof AppError) return error;
    if (timeout.aborted) return pullError(`GET ${shown} timed out after ${seconds} s`, { url: shown, timeout_ms: req.timeoutMs });
    if (req.signal?.aborted) return pullError(`GET ${shown} was cancelled`, { url: shown });
    if (error instanceof RefusedAddressError) {
      return pullError(`GET ${shown} refused: ${scrub(error.message, hidden)} (FLYWHEEL_SOURCE_NETWORKS=${networks})`, { url: shown, networks });
    }
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return pullError(`GET ${shown} failed: ${scrub(reason, hidden)}`, { url: shown });
  };

  let res: import('node:http').IncomingMessage;
  try {
    res = await guardedGet(url, headers, networks, signal);
  } catch (error) {
    throw failed(error);
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) {
    res.resume();
    throw pullError(`GET ${shown} answered HTTP ${status}${res.statusMessage ? ` ${scrub(res.statusMessage, hidden)}` : ''}`, { url: shown, status });
  }
  const declared = Number(res.headers['content-length']);
  const tooLarge = () => pullError(`GET ${shown}: the file is larger than the limit of ${req.maxBytes} bytes`, { url: shown, limit: req.maxBytes });
  if (Number.isFinite(declared) && declared > req.maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const total = Number.isFinite(declared) && declared > 0 ? declared : null;
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > req.maxBytes) return done(tooLarge());
      req.onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
  try {
    await pipeline(res, limit, createWriteStream(req.dest, { flags: 'wx', mode: 0o600 }), { signal });
  } catch (error) {
    throw failed(error);
  }
  return { bytes, contentType: mediaType(res.headers['content-type'] ?? null) };
}
