// Images uploaded to labelling jobs on Kysely: one row per (job, sha256), naming the task made
// for the image; the bytes are in the artifact store.
import type { Kysely, Selectable } from 'kysely';
import type { LabellingImage } from '../../domain/label-values.js';
import type { LabellingImageRepository } from '../../domain/ports/labelling-image-store.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { LabellingImagesTable } from './schema-annotation.js';
import { conflictsAs } from './unique-violation.js';

const toImage = (r: Selectable<LabellingImagesTable>): LabellingImage => ({
  ...r,
  size: toNum(r.size),
  width: toNumOrNull(r.width),
  height: toNumOrNull(r.height),
  created_at: toNum(r.created_at),
});

export class KyselyLabellingImageRepository implements LabellingImageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(image: LabellingImage): Promise<void> {
    const taken = `this job already holds the image ${image.sha256}`;
    await conflictsAs(() => this.db.insertInto('labelling_images').values(image).execute(), { sha256: taken, job_id: taken });
  }

  async get(jobId: string, sha256: string): Promise<LabellingImage | undefined> {
    const r = await this.db.selectFrom('labelling_images').selectAll().where('job_id', '=', jobId).where('sha256', '=', sha256).executeTakeFirst();
    return r && toImage(r);
  }
}
