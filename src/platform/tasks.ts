// The background tasks Flywheel runs, by name. Each opens the platform in its job's process.
import type { TaskContext, TaskHandler } from '../storage/jobs/task.js';
import type { Platform } from '../platform.js';
import { recordRunContext } from './run-context.js';
import { TRAINING_TASK } from '../services/training/training.service.js';
import { SEARCH_TASK } from '../services/training/search.service.js';
import { COMMAND_TASK } from '../services/training/command-run.service.js';
import { RETRAIN_TASK } from '../services/loop/retrain.service.js';
import { SOURCE_COMMIT_TASK, SOURCE_PULL_TASK } from '../services/dataset-sources/sources.service.js';
import { DROP_INGEST_TASK } from '../services/dataset-sources/drop-folder.service.js';
import { PRELABEL_TASK } from '../services/annotation/prelabel.service.js';
import { ACTIVE_LEARNING_TASK } from '../services/annotation/active-learning.service.js';

export const MAINTENANCE_TASK = 'maintenance.purge-expired';

export function taskHandlers(open: () => Promise<Platform>): Record<string, TaskHandler> {
  const withPlatform =
    (fn: (p: Platform, payload: any, ctx: TaskContext) => Promise<unknown>): TaskHandler =>
    async (payload, ctx) => {
      const platform = await open();
      try {
        return await fn(platform, payload, ctx);
      } finally {
        await platform.close();
      }
    };
  return {
    [PRELABEL_TASK]: withPlatform(async (p, payload, ctx) => p.services.labellingPrelabel.run(ctx.projectId!, payload, (fraction, message) => ctx.progress(fraction, message))),
    [ACTIVE_LEARNING_TASK]: withPlatform(async (p, payload, ctx) => p.services.labellingActiveLearning.run(ctx.projectId!, payload, (fraction, message) => ctx.progress(fraction, message))),
    [MAINTENANCE_TASK]: withPlatform(async (p) => ({ expired_sessions_deleted: await p.services.auth.purgeExpired() })),
    [TRAINING_TASK]: withPlatform(async (p, payload: { run_id: string }, ctx) => {
      await recordRunContext(p.services.tracking, payload.run_id);
      const run = await p.services.training.executeRun(payload.run_id, (fraction, message) => ctx.progress(fraction, message));
      return { run_id: run.id, status: run.status, metrics: run.metrics, gate: run.gate?.summary ?? null, model_version_id: run.model_version_id };
    }),
    [SEARCH_TASK]: withPlatform(async (p, payload: { run_id: string }, ctx) => {
      await recordRunContext(p.services.tracking, payload.run_id);
      const run = await p.services.searches.execute(payload.run_id, (fraction, message) => ctx.progress(fraction, message), ctx.signal);
      return { run_id: run.id, status: run.status, best_trial: run.tags['flywheel.best_trial'] ?? null, metrics: run.metrics, gate: run.gate?.summary ?? null, model_version_id: run.model_version_id };
    }),
    [COMMAND_TASK]: withPlatform(async (p, payload: { run_id: string }, ctx) => {
      await recordRunContext(p.services.tracking, payload.run_id);
      const run = await p.services.commandRuns.execute(payload.run_id, (fraction, message) => ctx.progress(fraction, message), ctx.signal);
      return { run_id: run.id, status: run.status, metrics: run.metrics, model_artifact_sha256: run.model_artifact_sha256, gate: run.gate?.summary ?? null, model_version_id: run.model_version_id };
    }),
    [RETRAIN_TASK]: withPlatform(async (p, payload, ctx) => {
      const decision = await p.services.retrain.runJob(ctx.projectId!, payload, (fraction, message) => ctx.progress(fraction, message));
      return { decision_id: decision.id, decision: decision.decision, reason: decision.reason };
    }),
    [SOURCE_PULL_TASK]: withPlatform(async (p, payload, ctx) => {
      const skipped = await p.services.sourcePulls.skipReason(payload);
      if (skipped) return { skipped };
      const run = await p.services.sourcePulls.execute(ctx.jobId, payload, (fraction, message) => ctx.progress(fraction, message), ctx.signal);
      return { run_id: run.id, status: run.status, rows_staged: run.rows_staged, rows_quarantined: run.rows_quarantined, unchanged: run.unchanged };
    }),
    [SOURCE_COMMIT_TASK]: withPlatform(async (p, payload) => p.services.sourcePulls.commit(payload)),
    [DROP_INGEST_TASK]: withPlatform(async (p, payload, ctx) => {
      const done = await p.services.dropFolder.ingest(payload, (fraction, message) => ctx.progress(fraction, message));
      return { file: done.file, moved_to: done.moved_to, accepted: done.report.accepted, quarantined: done.report.quarantined, replayed: done.report.replayed };
    }),
  };
}
