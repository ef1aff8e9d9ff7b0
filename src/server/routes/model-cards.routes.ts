// Model cards: the hand-written fields, and a version's card as Markdown or HTML text.
import { api } from '../../contracts/index.js';
import type { ModelCardFields } from '../../domain/model-card.js';
import type { Handlers, RouteDeps } from '../route.js';

export const modelCardEndpoints = {
  getModelCardFields: api.getModelCardFields,
  putModelCardFields: api.putModelCardFields,
  getModelCard: api.getModelCard,
};

const view = ({ project_id: _project, ...rest }: ModelCardFields) => rest;

export function modelCardHandlers({ services }: RouteDeps): Handlers<typeof modelCardEndpoints> {
  const cards = services.modelCards;
  return {
    getModelCardFields: async ({ access, params }) => view(await cards.getFields(access, params.model)),
    putModelCardFields: async ({ ctx, access, params, body }) => view(await cards.putFields(ctx, access, params.model, body)),
    getModelCard: async ({ access, params, query, reply }) => {
      const card = await cards.render(access, params.model, params.version, query.format);
      reply.header('content-type', card.content_type);
      reply.header('content-disposition', `inline; filename="${card.filename}"`);
      // The HTML card runs nothing: no scripts, even when opened directly.
      if (query.format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
      reply.header('x-content-type-options', 'nosniff');
      return card.text;
    },
  };
}
