// Model cards: the hand-written fields of a registered model, and a version's card generated
// from lineage, metrics, gate report, alias history and retraining decisions. The card endpoint
// answers text (text/markdown or text/html), not JSON: the typed client reads it with `text()`.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, ProjectParams } from './common.js';

/** Longest value of one field (characters). */
export const MAX_CARD_FIELD = 20_000;

export const ModelCardFieldsView = z.object({
  model_id: z.string(),
  intended_use: z.string(),
  limitations: z.string(),
  ethical_considerations: z.string(),
  /** Owners and how to reach them. */
  owners: z.string(),
  updated_by: z.string().nullable(),
  updated_at: EpochMs.nullable(),
});
export type ModelCardFieldsView = z.infer<typeof ModelCardFieldsView>;

const Field = z.string().max(MAX_CARD_FIELD);
const ModelParams = ProjectParams.extend({ model: z.string().min(1).max(100) });

export const getModelCardFields = endpoint({
  id: 'models.card-fields',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model/card-fields',
  summary: "A model's hand-written card fields ('' where not filled in yet)",
  tag: 'models',
  auth: { action: 'model.read' },
  params: ModelParams,
  response: ModelCardFieldsView,
});

export const putModelCardFields = endpoint({
  id: 'models.put-card-fields',
  method: 'PUT',
  path: '/api/v1/projects/:project/models/:model/card-fields',
  summary: "Fill in a model's card fields: intended use, limitations, ethical considerations, owners (omitted fields keep their value, '' clears one)",
  tag: 'models',
  auth: { action: 'model.write' },
  params: ModelParams,
  body: z.object({ intended_use: Field.optional(), limitations: Field.optional(), ethical_considerations: Field.optional(), owners: Field.optional() }).strict(),
  response: ModelCardFieldsView,
});

export const getModelCard = endpoint({
  id: 'models.card',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model/versions/:version/card',
  summary: "A version's model card as Markdown (text/markdown) or a standalone HTML page (text/html)",
  tag: 'models',
  auth: { action: 'model.read' },
  params: ModelParams.extend({ version: z.coerce.number().int().min(1) }),
  query: z.object({ format: z.enum(['markdown', 'html']).default('markdown') }),
  response: z.string().describe('the card: Markdown or HTML text'),
});
