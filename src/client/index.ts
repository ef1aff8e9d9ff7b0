// The SDK's public surface.
export * from './client.js';
export * from './transport.js';
export * from './upload.js';
