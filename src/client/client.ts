// The typed Flywheel client (the SDK): one method per endpoint of the contracts, errors rebuilt
// as the domain's AppError classes.
import { AppError, errorFromWire, type ErrorWire } from '../domain/errors.js';
import { api, type Api, type Endpoint, type RequestOf, type ResponseOf } from '../contracts/index.js';
import type { Transport, UploadBody } from './transport.js';

/** Extra request headers, e.g. `{ 'idempotency-key': 'batch-0001' }` for a push. */
export type WithHeaders = { headers?: Record<string, string> };

type Method<E> = {} extends RequestOf<E>
  ? (req?: RequestOf<E> & WithHeaders) => Promise<ResponseOf<E>>
  : (req: RequestOf<E> & WithHeaders) => Promise<ResponseOf<E>>;

/** The request of a raw-body endpoint (a file upload): the bytes and their media type. */
export type UploadRequest<E> = Omit<RequestOf<E>, 'body'> & { body: UploadBody; contentType?: string };

export type FlywheelClient = { [K in keyof Api]: Method<Api[K]> } & {
  call<E extends Endpoint>(e: E, req?: RequestOf<E>): Promise<ResponseOf<E>>;
  /**
   * Send a file to a raw-body endpoint, streamed when `body` is a stream.
   * @example await client.upload(api.ingestDataset, { params: { project: 'p', dataset: 'd' }, query: { format: 'csv' },
   *   body: createReadStream('weather.csv'), contentType: 'text/csv' })
   */
  upload<E extends Endpoint>(e: E, req: UploadRequest<E>): Promise<ResponseOf<E>>;
  /**
   * Call an endpoint that answers text rather than JSON (e.g. a model card) and return the body.
   * @example const md = await client.text(api.getModelCard, { params: { project: 'p', model: 'm', version: 1 }, query: { format: 'markdown' } })
   */
  text<E extends Endpoint>(e: E, req?: RequestOf<E>): Promise<string>;
};

/** Fill `:name` segments of a path from params, URL-encoded. */
export function buildUrl(path: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = path.replace(/:([A-Za-z_]+)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined || value === null) throw new AppError('invalid_input', `missing path parameter '${key}'`);
    return encodeURIComponent(String(value));
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${filled}?${s}` : filled;
}

export function createClient(transport: Transport): FlywheelClient {
  async function call(
    e: Endpoint,
    req: { params?: unknown; query?: unknown; body?: unknown; headers?: Record<string, string> } = {},
    raw?: { body: UploadBody; contentType: string },
  ) {
    const headers: Record<string, string> = { ...req.headers, accept: 'application/json' };
    let body: string | UploadBody | undefined;
    if (raw) {
      headers['content-type'] = raw.contentType;
      body = raw.body;
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    const url = buildUrl(e.path, req.params as Record<string, unknown>, req.query as Record<string, unknown>);
    const res = await transport.send({ method: e.method, url, headers, body });
    let parsed: unknown = undefined;
    if (res.body) {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        if (res.status >= 400) throw new AppError('http_error', `HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        throw new AppError('bad_response', `the server answered ${e.method} ${url} with a body that is not JSON`);
      }
    }
    if (res.status >= 400) {
      const wire = (parsed as ErrorWire | undefined)?.error;
      if (wire && typeof wire.code === 'string') throw errorFromWire(wire);
      throw new AppError('http_error', `HTTP ${res.status} from ${e.method} ${url}`);
    }
    return parsed;
  }
  const upload = (e: Endpoint, req: { params?: unknown; query?: unknown; body: UploadBody; contentType?: string }) =>
    call(e, { params: req.params, query: req.query }, { body: req.body, contentType: req.contentType ?? 'application/octet-stream' });
  async function text(e: Endpoint, req: { params?: unknown; query?: unknown } = {}): Promise<string> {
    const url = buildUrl(e.path, req.params as Record<string, unknown>, req.query as Record<string, unknown>);
    const res = await transport.send({ method: e.method, url, headers: { accept: 'text/*, application/json' } });
    if (res.status >= 400) {
      let wire: ErrorWire['error'] | undefined;
      try {
        wire = (JSON.parse(res.body) as ErrorWire).error;
      } catch {
        wire = undefined;
      }
      if (wire && typeof wire.code === 'string') throw errorFromWire(wire);
      throw new AppError('http_error', `HTTP ${res.status} from ${e.method} ${url}`);
    }
    return res.body;
  }
  const client: Record<string, unknown> = { call, upload, text };
  for (const [name, e] of Object.entries(api)) client[name] = (req?: object) => call(e as Endpoint, req);
  return client as FlywheelClient;
}
