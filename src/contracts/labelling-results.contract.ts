// Labelling results as JSON Lines or CSV (export a batch for a contractor; import their results
// back, matched by task id, with provenance), and images uploaded to image-boxes jobs.
// The export and the image answer text / bytes, not JSON; the imports take the raw file.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { JobParams } from './labelling.contract.js';

const FORMATS = ['jsonl', 'csv'] as const;
const MAX_RESULTS_BYTES = 32 * 1024 * 1024;
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const Where = { index: z.number().int(), line: z.number().int(), row: z.number().int().nullable(), result: z.number().int().nullable(), task_id: z.string() };

export const ResultsImportReportView = z.object({
  format: z.enum(FORMATS),
  provider: z.string(),
  received: z.number().int(),
  accepted: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  /** One per result, in file order: where it was (line; CSV row; index in a JSONL line's results) and what became of it. */
  items: z.array(
    z.discriminatedUnion('status', [
      z.object({ ...Where, status: z.literal('accepted'), label_id: z.string(), label: z.string() }),
      z.object({ ...Where, status: z.enum(['skipped', 'rejected']), field: z.string(), reason: z.string() }),
    ]),
  ),
});
export type ResultsImportReportView = z.infer<typeof ResultsImportReportView>;

export const exportLabellingResults = endpoint({
  id: 'labelling.results.export',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/results',
  summary:
    "A job's tasks with their results as JSON Lines (application/x-ndjson: one task per line, `{ task_id, data, status, results }`) or CSV (text/csv: one result per row, data as `data.*` columns)",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  params: JobParams,
  query: z.object({ format: z.enum(FORMATS).default('jsonl'), status: z.enum(['open', 'resolved']).optional() }),
  response: z.string().describe('JSON Lines or CSV text'),
});

export const importLabellingResults = endpoint({
  id: 'labelling.results.import',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/results',
  summary:
    'Import results (the raw JSON Lines or CSV file), matched by task id, with provenance (provider, annotator ids, time); each result accepted, skipped (already recorded) or rejected with the reason; an unreadable file fails whole (400 naming its line or row and field)',
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  params: JobParams,
  query: z.object({ format: z.enum(FORMATS).optional(), provider: z.string().min(1).max(100).optional() }),
  rawBody: true,
  contentTypes: ['application/x-ndjson', 'application/jsonl', 'application/json', 'text/csv', 'text/plain'],
  bodyLimit: MAX_RESULTS_BYTES,
  response: ResultsImportReportView,
});

export const UploadedImageView = z.object({
  task_id: z.string(),
  created: z.boolean(),
  image: z.object({
    sha256: z.string(),
    url: z.string(),
    content_type: z.string(),
    size: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    name: z.string().nullable(),
  }),
});
export type UploadedImageView = z.infer<typeof UploadedImageView>;

export const uploadLabellingImage = endpoint({
  id: 'labelling.images.upload',
  method: 'POST',
  path: '/api/v1/projects/:project/labelling-jobs/:job/images',
  summary: "Upload an image (PNG, JPEG, GIF, WebP) to an image-boxes job as a new task whose data holds the image's URL; the same image again answers its task",
  tag: 'labelling',
  auth: { action: 'labelling.manage' },
  params: JobParams,
  query: z.object({ name: z.string().min(1).max(255).optional(), priority: z.coerce.number().int().min(-1_000_000).max(1_000_000).optional() }),
  rawBody: true,
  contentTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/octet-stream'],
  bodyLimit: MAX_IMAGE_BYTES,
  status: 201,
  response: UploadedImageView,
});

export const getLabellingImage = endpoint({
  id: 'labelling.images.get',
  method: 'GET',
  path: '/api/v1/projects/:project/labelling-jobs/:job/images/:image',
  summary: "An image uploaded to the job (its bytes, with the image's content type), by sha256",
  tag: 'labelling',
  auth: { action: 'labelling.read' },
  params: JobParams.extend({ image: z.string().min(1).max(64) }),
  response: z.unknown().describe('the image bytes'),
});
