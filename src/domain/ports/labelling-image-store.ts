// Repository of images uploaded to labelling jobs (the bytes live in the artifact store by
// sha256; this records which job holds which image and the task made for it).
import type { LabellingImage } from '../label-values.js';

export interface LabellingImageRepository {
  /** ConflictError when the job already holds an image of that sha256. */
  create(image: LabellingImage): Promise<void>;
  get(jobId: string, sha256: string): Promise<LabellingImage | undefined>;
}
