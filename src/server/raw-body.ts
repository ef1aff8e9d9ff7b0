// Raw-body endpoints (file uploads): in their own Fastify context every content type is handed
// to the handler as the unread request stream; the accepted types and the size limit are
// checked here, and the handler streams the body on (never whole into memory).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { Endpoint } from '../contracts/index.js';
import { z } from 'zod';
import { AppError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';

const rawContexts = new WeakSet<FastifyInstance>();

/** The body schema of a raw-body route: any bytes (it documents the upload in OpenAPI; nothing is parsed). */
export const RAW_BODY = z.any().meta({ type: 'string', format: 'binary', description: 'the file, as raw bytes' });

/** Whether `app` is a context made by `inRawContext` (so the route can be defined there). */
export function isRawContext(app: FastifyInstance): boolean {
  return rawContexts.has(app);
}

/** Run `define` in a child context that parses no body: it passes the stream through. */
export function inRawContext(app: FastifyInstance, define: (child: FastifyInstance) => void): void {
  void app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    rawContexts.add(child);
    define(child);
  });
}

/** The media type of a request without parameters, e.g. `text/csv`; undefined when absent. */
export function mediaType(request: FastifyRequest): string | undefined {
  const header = request.headers['content-type'];
  return header ? header.split(';')[0].trim().toLowerCase() : undefined;
}

/** 415 for a media type the endpoint does not accept, 413 when content-length is over its limit. */
export function checkRawBody(request: FastifyRequest, e: Endpoint): void {
  const type = mediaType(request);
  if (type && e.contentTypes && !e.contentTypes.includes(type)) {
    throw new AppError('unsupported_media_type', `content type '${type}' is not accepted here; send the file as one of ${e.contentTypes.join(', ')}`, {
      details: { field: 'content-type', accepted: e.contentTypes },
    });
  }
  const length = Number(request.headers['content-length']);
  if (e.bodyLimit !== undefined && Number.isFinite(length) && length > e.bodyLimit) {
    throw new PayloadTooLargeError(`the body is ${length} bytes; this endpoint accepts at most ${e.bodyLimit}`, { field: 'body', limit: e.bodyLimit });
  }
}

/** The request body of a raw-body endpoint as a stream (empty when none was sent). */
export function rawBodyOf(request: FastifyRequest): Readable {
  return ((request.body as Readable | undefined) ?? request.raw) as Readable;
}

/** A raw body read whole as UTF-8 text, for small text uploads: at most `limit` bytes (400 beyond). */
export async function rawBodyText(request: FastifyRequest, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of rawBodyOf(request)) {
    size += (c as Buffer).length;
    if (size > limit) throw new ValidationError(`the body is larger than ${limit} bytes`, { field: 'body' });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
