// A project's background jobs: list, inspect, cancel. Tasks enqueue through `enqueue`.
import type { Job } from '../../domain/entities.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { EnqueueRequest, JobQueue } from '../../domain/ports/job-queue.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';

export class JobsService {
  constructor(
    private readonly queue: JobQueue,
    private readonly ops: OperationRunner,
  ) {}

  enqueue(req: EnqueueRequest): Promise<Job> {
    return this.queue.enqueue(req);
  }

  list(access: ProjectAccess, page: PageRequest, status?: Job['status']): Promise<Page<Job>> {
    return this.queue.list(page, { projectId: access.project.id, status });
  }

  async get(access: ProjectAccess, id: string): Promise<Job> {
    const job = await this.queue.get(id);
    if (!job || job.project_id !== access.project.id) throw new NotFoundError('job', id);
    return job;
  }

  /**
   * Cancel a queued job, or ask a running one to stop, and audit it. The queue writes through its
   * own handle on the database, which on SQLite is the one connection an operation's transaction
   * holds: so the cancel is written first, then recorded (audited) as the operation.
   */
  async cancel(ctx: CallContext, access: ProjectAccess, id: string): Promise<Job> {
    await this.get(access, id);
    const job = await this.queue.cancel(id);
    return this.ops.run(ctx, { action: 'job.cancel', project_id: access.project.id, target_ids: { job: id } }, async () => {
      if (!job) throw new NotFoundError('job', id);
      return job;
    });
  }
}
