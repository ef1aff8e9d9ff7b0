// Labelling results as JSON Lines or CSV (export text, import the raw file) and images uploaded
// to image-boxes jobs (upload the raw bytes, serve them back with their type).
import { Readable } from 'node:stream';
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';
import { mediaType, rawBodyOf, rawBodyText } from '../raw-body.js';

export const labellingResultsEndpoints = {
  exportLabellingResults: api.exportLabellingResults,
  importLabellingResults: api.importLabellingResults,
  uploadLabellingImage: api.uploadLabellingImage,
  getLabellingImage: api.getLabellingImage,
};

export function labellingResultsHandlers({ services }: RouteDeps): Handlers<typeof labellingResultsEndpoints> {
  return {
    exportLabellingResults: async ({ access, params, query, reply }) => {
      const text = await services.labellingResults.export(access, params.job, query.format, query.status);
      reply.header('content-type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${params.job}-results.${query.format}"`);
      return text;
    },
    importLabellingResults: async ({ ctx, access, params, query, request }) => {
      const format = query.format ?? (mediaType(request) === 'text/csv' ? 'csv' : 'jsonl');
      const text = await rawBodyText(request, api.importLabellingResults.bodyLimit!);
      return services.labellingResults.import(ctx, access, params.job, format, text, query.provider);
    },
    uploadLabellingImage: async ({ ctx, access, params, query, request }) =>
      services.labellingImages.upload(ctx, access, params.job, rawBodyOf(request), { name: query.name, priority: query.priority }),
    getLabellingImage: async ({ access, params, reply }) => {
      const { image, bytes } = await services.labellingImages.image(access, params.job, params.image);
      reply.header('content-type', image.content_type);
      reply.header('content-length', String(image.size));
      reply.header('cache-control', 'private, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
      return Readable.from(bytes);
    },
  };
}
