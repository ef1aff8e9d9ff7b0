// Every prediction response says which model version answered and by which route (primary,
// canary, or a version the caller asked for), in headers, on every serving protocol.
import type { FastifyReply } from 'fastify';

export const MODEL_VERSION_HEADER = 'x-flywheel-model-version';
export const ROUTE_HEADER = 'x-flywheel-route';

export function servedBy(reply: FastifyReply, version: number, route: string): void {
  reply.header(MODEL_VERSION_HEADER, String(version));
  reply.header(ROUTE_HEADER, route);
}
