// The project page's view of the loop: every stage with its latest state and counts, read from
// the stores of each capability.
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { DeploymentsService } from '../serving/deployments.service.js';

/** Every item of a paged list (pages of 1000). */
async function all<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list({ limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

export class LoopOverviewService {
  constructor(
    private readonly store: MetadataStore,
    private readonly deployments: DeploymentsService,
  ) {}

  async overview(access: ProjectAccess) {
    const projectId = access.project.id;
    const s = this.store;
    const datasets = await all((p) => s.datasets.list(projectId, p));
    const versions = (await Promise.all(datasets.map((d) => all((p) => s.datasetVersions.list(d.id, p))))).flat();
    const newest = [...versions].sort((a, b) => b.created_at - a.created_at)[0];
    const cleanse = { rows_read: 0, accepted: 0, quarantined: 0, by_rule: {} as Record<string, number> };
    for (const v of versions) {
      cleanse.rows_read += v.report.rows_read;
      cleanse.accepted += v.report.accepted;
      cleanse.quarantined += v.report.quarantined;
      for (const [rule, n] of Object.entries(v.report.by_rule)) cleanse.by_rule[rule] = (cleanse.by_rule[rule] ?? 0) + n;
    }

    const jobs = await all((p) => s.labellingJobs.list(projectId, p));
    const counts = await s.labellingJobs.counts(jobs.map((j) => j.id));
    const annotate = { jobs: jobs.length, tasks: 0, resolved: 0, labels: 0 };
    for (const c of counts.values()) {
      annotate.tasks += c.tasks;
      annotate.resolved += c.resolved;
      annotate.labels += c.labels;
    }

    const runs = await all((p) => s.tracking.listRuns(projectId, p));
    const gated = runs.filter((r) => r.gate !== null);
    const deployments = await all((p) => this.deployments.list(access, p));
    const monitors = await all((p) => s.monitoring.listMonitors(projectId, p));
    const windows = (await Promise.all(monitors.map((m) => s.monitoring.listWindows(m.id).then((ws) => ws.map((w) => ({ ...w, monitor: m.name })))))).flat();
    const latestWindow = [...windows].sort((a, b) => b.window_start - a.window_start)[0];
    const alerts = await all((p) => s.monitoring.listAlerts(projectId, p));
    const decisions = await all((p) => s.monitoring.listDecisions(projectId, p));

    return {
      collect: {
        datasets: datasets.length,
        versions: versions.length,
        rows: versions.reduce((n, v) => n + v.report.accepted, 0),
        latest: newest
          ? { dataset: datasets.find((d) => d.id === newest.dataset_id)?.name ?? '', version: newest.version, accepted: newest.report.accepted, quarantined: newest.report.quarantined, at: newest.created_at }
          : null,
      },
      cleanse,
      annotate,
      train: { runs: runs.length, latest: runs[0] ? { id: runs[0].id, status: runs[0].status, metrics: runs[0].metrics, at: runs[0].created_at } : null },
      validate: {
        passed: gated.filter((r) => r.gate!.passed).length,
        failed: gated.filter((r) => !r.gate!.passed).length,
        latest: gated[0] ? { run_id: gated[0].id, passed: gated[0].gate!.passed, summary: gated[0].gate!.summary } : null,
      },
      deploy: {
        deployments: deployments.length,
        predictions_logged: deployments.reduce((n, d) => n + d.predictions_logged, 0),
        serving: deployments.map((d) => ({ deployment: d.name, model: d.model, version: d.serving_version })),
      },
      monitor: {
        monitors: monitors.length,
        windows: windows.length,
        open_alerts: alerts.filter((a) => a.status === 'open').length,
        alerts: alerts.length,
        latest_window: latestWindow ? { monitor: latestWindow.monitor, window_start: latestWindow.window_start, drift: latestWindow.drift, performance: latestWindow.performance } : null,
      },
      retrain: {
        decisions: decisions.length,
        promotions: decisions.filter((d) => d.decision === 'promoted').length,
        latest: decisions[0] ? { decision: decisions[0].decision, reason: decisions[0].reason, at: decisions[0].created_at } : null,
      },
    };
  }
}
