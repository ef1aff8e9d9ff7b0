// How the client reaches a server: over HTTP with fetch (remote, browser), or in-process
// (the CLI's local mode passes a transport built on Fastify's inject).

/** A raw request body (a file upload): bytes, a Blob (browser) or a stream of chunks (Node). */
export type UploadBody = Uint8Array | Blob | AsyncIterable<Uint8Array>;

export interface WireRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/projects?limit=10`. */
  url: string;
  headers: Record<string, string>;
  /** JSON text, or the raw bytes of an upload. */
  body?: string | UploadBody;
}

export interface WireResponse {
  status: number;
  body: string;
}

export interface Transport {
  send(req: WireRequest): Promise<WireResponse>;
}

export interface FetchTransportOptions {
  /** Bearer token (API, CLI). */
  token?: string;
  /** Browser: send cookies and this CSRF value on mutations. */
  csrf?: () => string | undefined;
  fetch?: typeof fetch;
}

/** A transport over fetch; `baseUrl` is `''` in the browser (same origin). */
export function fetchTransport(baseUrl: string, options: FetchTransportOptions = {}): Transport {
  const doFetch = options.fetch ?? fetch;
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async send(req) {
      const headers: Record<string, string> = { ...req.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const csrf = options.csrf?.();
      if (csrf && req.method !== 'GET') headers['x-csrf-token'] = csrf;
      const streamed = req.body !== undefined && typeof req.body !== 'string' && !(req.body instanceof Uint8Array) && !(typeof Blob !== 'undefined' && req.body instanceof Blob);
      const res = await doFetch(base + req.url, {
        method: req.method,
        headers,
        body: req.body as BodyInit | undefined,
        credentials: options.csrf ? 'same-origin' : undefined,
        // Node's fetch streams an async-iterable body only in half-duplex mode.
        ...(streamed ? { duplex: 'half' } : {}),
      } as RequestInit);
      return { status: res.status, body: await res.text() };
    },
  };
}
