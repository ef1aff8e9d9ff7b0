// One definition per endpoint: method, path, schemas and the permission it needs. The server
// route, the OpenAPI document and the typed client are all derived from these.
import type { z } from 'zod';
import type { Action } from '../domain/actions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call: `public` (no credentials), `user` (any signed-in caller), or an action checked
 * against the permission matrix. Project actions are checked in the `:project` of the path.
 */
export type EndpointAuth = 'public' | 'user' | { action: Action };

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  method: HttpMethod;
  /** Fastify-style path, e.g. `/api/v1/projects/:project/members`. */
  path: string;
  summary: string;
  tag: string;
  auth: EndpointAuth;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status (200 unless stated). */
  status?: number;
  /** Largest accepted body in bytes (the server default otherwise). */
  bodyLimit?: number;
  /**
   * The body is raw bytes (a file upload), not JSON: the server hands the handler the request
   * stream unread, and the client sends it with `client.upload`. `contentTypes` lists the media
   * types accepted (a request without one is taken as raw bytes too).
   */
  rawBody?: true;
  contentTypes?: string[];
  /**
   * Where the project of a project action comes from when the path has no `:project`:
   * 'deployment' = the project of the deployment named by `:deployment` (serving URLs).
   */
  projectFrom?: 'deployment';
  /**
   * A hot path (the labelling queue): the caller's token and their permission come through the
   * access cache (reused up to 2 s, dropped as soon as access changes on this server), as on the
   * serving URLs, instead of being looked up in the metadata store on every request.
   */
  cachedAccess?: true;
}

/** Define an endpoint, keeping its schema types for the client. */
export function endpoint<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  e: Endpoint<P, Q, B, R>,
): Endpoint<P, Q, B, R> {
  return e;
}

/** The request a client passes for endpoint E. */
export type RequestOf<E> = E extends Endpoint<infer P, infer Q, infer B, z.ZodType>
  ? (P extends z.ZodObject ? { params: z.input<P> } : { params?: undefined }) &
      (Q extends z.ZodObject ? { query?: z.input<Q> } : { query?: undefined }) &
      (B extends z.ZodObject ? { body: z.input<B> } : { body?: undefined })
  : never;

/** The response a client receives for endpoint E. */
export type ResponseOf<E> = E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never;
