// Health of the metadata store, the artifact store and the job queue, each timed.
import type { ArtifactStore } from '../domain/ports/artifact-store.js';
import type { JobQueue } from '../domain/ports/job-queue.js';
import type { MetadataStore } from '../domain/ports/metadata-store.js';

export interface Check {
  ok: boolean;
  detail: string;
  latency_ms: number;
}

async function timed(detail: string, probe: () => Promise<unknown>): Promise<Check> {
  const start = performance.now();
  try {
    await probe();
    return { ok: true, detail, latency_ms: Math.round((performance.now() - start) * 100) / 100 };
  } catch (e) {
    return { ok: false, detail: `${detail}: ${e instanceof Error ? e.message : String(e)}`, latency_ms: Math.round(performance.now() - start) };
  }
}

export class HealthService {
  constructor(
    private readonly store: MetadataStore,
    private readonly artifacts: ArtifactStore,
    private readonly jobs: JobQueue,
    private readonly version: string,
  ) {}

  async check() {
    const [metadata, artifacts, jobs] = await Promise.all([
      timed(this.store.dialect, () => this.store.ping()),
      timed(this.artifacts.kind, () => this.artifacts.ping()),
      timed('jobs table', () => this.jobs.ping()),
    ]);
    const ok = metadata.ok && artifacts.ok && jobs.ok;
    return { status: ok ? ('ok' as const) : ('degraded' as const), version: this.version, checks: { metadata, artifacts, jobs } };
  }
}
