// Images uploaded to an image-boxes job: each upload is stored by content (sha256) in the
// artifact store and becomes one task whose data holds the image's URL (served back to the
// project's members by `image`). The same image uploaded to a job again answers its task and
// stores nothing twice.
import { openTask, type LabellingJob } from '../../domain/annotation.js';
import type { Clock } from '../../domain/clock.js';
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../domain/errors.js';
import type { LabellingImage } from '../../domain/label-values.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { imageHeader } from './image-header.js';
import type { LabellingService } from './labelling.service.js';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

export interface UploadedImage {
  task_id: string;
  /** False when the job already held this image (its task is answered). */
  created: boolean;
  image: { sha256: string; url: string; content_type: string; size: number; width: number | null; height: number | null; name: string | null };
}

/** The URL an uploaded image is served at (by ids, so it never changes). */
export const imageUrl = (job: Pick<LabellingJob, 'project_id' | 'id'>, sha256: string) => `/api/v1/projects/${job.project_id}/labelling-jobs/${job.id}/images/${sha256}`;

async function readAll(body: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of body) {
    size += c.byteLength;
    if (size > max) throw new PayloadTooLargeError(`the image is larger than ${max} bytes`, { field: 'body', limit: max });
    chunks.push(c);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export class LabellingImagesService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly artifacts: ArtifactStore,
    private readonly labelling: LabellingService,
  ) {}

  /**
   * Upload an image to an image-boxes job as a new task. Example:
   *   await images.upload(ctx, access, 'cars', createReadStream('street.png'), { name: 'street.png' }) // { task_id, created: true, image: { url, width, height, ... } }
   */
  async upload(ctx: CallContext, access: ProjectAccess, jobRef: string, body: AsyncIterable<Uint8Array>, opts: { name?: string; priority?: number } = {}): Promise<UploadedImage> {
    const job = await this.labelling.job(access, jobRef);
    if (job.label_config.type !== 'rectanglelabels') {
      throw new ConflictError(`images are uploaded to image-boxes jobs; '${job.name}' is a ${job.kind} job (give image URLs in task data instead)`, { field: 'job' });
    }
    const field = job.label_config.field;
    const bytes = await readAll(body, MAX_IMAGE_BYTES);
    if (bytes.byteLength === 0) throw new ValidationError('the body is empty: send the image bytes', { field: 'body' });
    const header = imageHeader(bytes);
    if (!header) throw new ValidationError('the body is not a PNG, JPEG, GIF or WebP image', { field: 'body' });
    const name = opts.name ?? null;
    const blob = await this.artifacts.put(bytes);
    const draft = {
      action: 'labelling.images.upload',
      project_id: job.project_id,
      target_ids: { project: job.project_id, labelling_job: job.id },
      details: { sha256: blob.sha256, size: blob.size, content_type: header.content_type } as Record<string, unknown>,
    };
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const url = imageUrl(job, blob.sha256);
      const known = await tx.labellingImages.get(job.id, blob.sha256);
      const view = (img: LabellingImage) => ({ sha256: img.sha256, url, content_type: img.content_type, size: img.size, width: img.width, height: img.height, name: img.name });
      if (known) {
        ev.details = { ...ev.details, created: false, task: known.task_id };
        return { task_id: known.task_id, created: false, image: view(known) };
      }
      const now = this.clock.now();
      const task = openTask(job, now, { data: { [field]: url, ...(name !== null && field !== 'name' ? { name } : {}) }, priority: opts.priority ?? 0 });
      const image: LabellingImage = {
        project_id: job.project_id,
        job_id: job.id,
        sha256: blob.sha256,
        content_type: header.content_type,
        size: blob.size,
        width: header.width,
        height: header.height,
        task_id: task.id,
        name,
        created_by: ctx.principal.user.id,
        created_at: now,
      };
      await tx.labellingTasks.createMany([task]);
      await tx.labellingImages.create(image);
      ev.details = { ...ev.details, created: true, task: task.id };
      return { task_id: task.id, created: true, image: view(image) };
    });
  }

  /** An uploaded image's bytes and type; NotFoundError when the job holds no image of that sha256. */
  async image(access: ProjectAccess, jobRef: string, sha256: string): Promise<{ image: LabellingImage; bytes: AsyncIterable<Uint8Array> }> {
    const job = await this.labelling.job(access, jobRef);
    const image = SHA256.test(sha256) ? await this.store.labellingImages.get(job.id, sha256) : undefined;
    if (!image) throw new NotFoundError('image', sha256, { job: job.name });
    return { image, bytes: this.artifacts.get(sha256) };
  }
}
