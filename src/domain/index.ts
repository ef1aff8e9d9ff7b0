// The domain's public surface.
export * from './errors.js';
export * from './ids.js';
export * from './names.js';
export * from './clock.js';
export * from './pagination.js';
export * from './roles.js';
export * from './actions.js';
export * from './entities.js';
export type * from './ports/metadata-store.js';
export type * from './ports/artifact-store.js';
export type * from './ports/job-queue.js';
