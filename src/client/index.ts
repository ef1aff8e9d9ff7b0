// The SDK's public surface.
export * from './client.js';
export * from './transport.js';
