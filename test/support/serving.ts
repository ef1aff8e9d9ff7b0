// Helpers for serving tests: a platform + app on a chosen FLYWHEEL_HOME (so a test can restart
// it), the local admin's principal, and fixture models registered in-process as training would.
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { configFromEnv, openPlatform, type Platform } from '../../src/platform.js';
import { buildApp } from '../../src/server/app.js';
import { authorizeProject, type CallContext, type ProjectAccess } from '../../src/services/index.js';
import type { ProjectRole } from '../../src/domain/roles.js';
import { buildLinearModel, WEATHER_SPEC, type LinearModelSpec } from '../fixtures/models/linear-model.js';
import { tempDir } from './databases.js';
import type { TestApp } from './server.js';

export interface ServingApp {
  app: FastifyInstance;
  platform: Platform;
  home: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Open Flywheel on `home` (a new one by default) with extra environment (e.g. segment sizes). */
export async function openServingApp(opts: { databaseUrl?: string; home?: string; env?: Record<string, string> } = {}): Promise<ServingApp> {
  const home = opts.home ?? tempDir('flywheel-serving-');
  const databaseUrl = opts.databaseUrl ?? `sqlite:${join(home, 'flywheel.db')}`;
  const platform = await openPlatform(configFromEnv({ FLYWHEEL_HOME: home, FLYWHEEL_DATABASE_URL: databaseUrl, FLYWHEEL_DEMO: '0', ...opts.env }));
  const app = await buildApp({ services: platform.services, version: 'test', logger: false });
  await app.ready();
  return {
    app,
    platform,
    home,
    databaseUrl,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

/** A call context acting as the first admin (as the CLI's local mode and jobs do). */
export async function adminContext(platform: Platform): Promise<CallContext> {
  const page = await platform.store.users.list({ limit: 100 });
  const user = page.items.find((u) => u.is_admin);
  if (!user) throw new Error('no admin yet');
  return { principal: { user, via: 'local' } };
}

export async function projectAccess(platform: Platform, project: string): Promise<ProjectAccess> {
  const ctx = await adminContext(platform);
  return authorizeProject(platform.store, ctx.principal, 'model.write', project);
}

/** Register `spec` as the next version of `model` in `project` (as the training service does). */
export async function registerFixture(platform: Platform, project: string, model: string, spec: LinearModelSpec = WEATHER_SPEC, extra: { metrics?: Record<string, number> } = {}) {
  const ctx = await adminContext(platform);
  const access = await projectAccess(platform, project);
  return platform.services.registry.registerVersion(ctx, access, {
    model,
    onnx: buildLinearModel(spec),
    run_id: 'run-fixture',
    dataset_version_id: 'dv-fixture',
    metrics: extra.metrics ?? { accuracy: 0.8, macro_f1: 0.7 },
    gate: { passed: true, summary: 'all checks passed' },
  });
}

/** One valid row of the weather fixture model. */
export const SAMPLE_ROW = { precipitation: 1.5, temp_max: 14.2, temp_min: 6.1, wind: 3.3, station: 'north' };

/**
 * For the permission matrix: a project where each role user has that role, with a deployment
 * `name` of the fixture model, so the serving URL can be walked as every caller.
 */
export async function seedMatrixDeployment(t: TestApp, project: string, name: string, roles: readonly ProjectRole[]): Promise<void> {
  const ctx = await adminContext(t.platform);
  const services = t.platform.services;
  const created = await services.projects.create(ctx, { name: project });
  const access = { project: created, role: 'owner' as const };
  for (const role of roles) await services.projects.putMember(ctx, access, role, role);
  await registerFixture(t.platform, project, 'matrix-model');
  await services.registry.setAlias(ctx, access, 'matrix-model', 'champion', 1, 'matrix');
  await services.deployments.create(ctx, access, { name, model: 'matrix-model' });
}
