// The whole loop on seattle-weather, end to end, with each stage's outcome checked against the
// data and the stated thresholds (not against the demo's own report only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { runDemoOn } from '../../src/cli/demo/seed-demo.js';
import { DEMO_DEPLOYMENT, DEMO_MODEL, DEMO_MONITOR, DEMO_PROJECT, DEMO_SETTINGS } from '../../src/cli/demo/run-demo.js';
import type { DemoReport } from '../../src/cli/demo/demo-report.js';
import { loadSeattleWeather, WEATHER_FEATURES } from '../../src/cli/demo/seattle-weather.js';
import { driftStatistics } from '../../src/stats/index.js';
import { databaseTargets } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/server.js';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`the demo loop end to end (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let report: DemoReport;
    const data = loadSeattleWeather();
    const replayed = data.rows.filter((r) => r.date >= '2014');

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      report = await runDemoOn(t.platform, { log: () => undefined, logger: pino({ level: 'silent' }) });
    }, 240_000);
    afterAll(() => t?.close());

    const services = () => t.platform.services;
    const access = async () => ({ project: (await t.platform.store.projects.getByName(DEMO_PROJECT))!, role: null });

    it('collects and cleanses: read = accepted + quarantined, bad rows quarantined with line, rule and reason', async () => {
      const c = report.collect;
      expect(c.rows_read).toBe(c.accepted + c.quarantined);
      expect(c.accepted).toBe(data.rows.filter((r) => r.date < '2014').length);
      expect(c.quarantined).toBe(c.injected_bad_rows);
      const q = await services().datasetQuarantine.page(await access(), 'seattle-weather', 1, { limit: 10 });
      expect(q.items.map((r) => r.rule).sort()).toEqual(Object.keys(c.by_rule).sort());
      for (const row of q.items) {
        expect(row.line).toBeGreaterThan(c.accepted);
        expect(row.reason.length).toBeGreaterThan(5);
      }
    });

    it('validates: the gate result follows from the holdout metrics and the thresholds', () => {
      const { metrics } = report.train;
      const expected = Object.entries(DEMO_SETTINGS.thresholds).every(([m, b]) => metrics[m] >= (b as { min: number }).min);
      expect(report.validate.passed).toBe(expected);
      expect(report.train.params.holdout).toBe('2013-10-01..2014-01-01');
      expect(Number(report.train.params.train_rows) + Number(report.train.params.holdout_rows)).toBe(report.collect.accepted);
      expect(report.train.code_version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('logs every replayed prediction, month by month', async () => {
      const a = await access();
      await services().predictionLog.flush();
      const logged = await services().predictionLog.readPredictions(a.project.id, DEMO_DEPLOYMENT, { from: Date.UTC(2014, 0, 1), to: Date.UTC(2016, 0, 1) });
      expect(logged).toHaveLength(replayed.length);
      expect(report.totals.predictions).toBe(replayed.length);
      expect(report.months).toHaveLength(24);
      for (const m of report.months) expect(m.predictions_logged).toBe(replayed.filter((r) => r.date.startsWith(m.month)).length);
      expect(new Set(logged.map((p) => p.id)).size).toBe(logged.length);
    });

    it('annotates a sample of each month by three annotators, and resolved labels become feedback', async () => {
      const a = await access();
      for (const m of report.months) {
        expect(m.labelling.tasks).toBe(DEMO_SETTINGS.sample_per_month);
        expect(m.labelling.labels).toBe(3 * DEMO_SETTINGS.sample_per_month);
        expect(m.labelling.resolved).toBe(DEMO_SETTINGS.sample_per_month);
      }
      const logged = await services().predictionLog.readPredictions(a.project.id, DEMO_DEPLOYMENT, {});
      const feedback = await services().feedback.feedbackFor(a.project.id, logged.map((p) => p.id));
      expect(feedback.size).toBe(24 * DEMO_SETTINGS.sample_per_month);
      const truth = new Map(data.rows.map((r) => [r.date, r.weather]));
      let right = 0;
      for (const p of logged) {
        const f = feedback.get(p.id);
        if (f && f.label === truth.get(new Date(p.event_time).toISOString().slice(0, 10))) right++;
      }
      expect(right / feedback.size).toBeGreaterThan(0.9); // majority vote of 5/10/20 % error rates
    });

    it('raises alerts exactly where the computed statistics cross the stated thresholds', async () => {
      const a = await access();
      const monitor = await services().monitoring.get(a, DEMO_MONITOR);
      const windows = await services().monitoring.windows(monitor);
      expect(windows).toHaveLength(24);
      const alerts = (await services().monitoring.alerts(a, { limit: 1000 })).items;
      const history = data.rows.filter((r) => r.date < '2014');
      const v1 = await services().datasets.getVersion(a, 'seattle-weather', 1);
      for (const w of windows) {
        const month = new Date(w.window_start).toISOString().slice(0, 7);
        const current = replayed.filter((r) => r.date.startsWith(month));
        const here = alerts.filter((x) => x.window_start === w.window_start);
        // The reference is the CSV's 2012–2013 rows until a promotion rebases it on the challenger's data.
        let reference: Record<string, ArrayLike<number>> = Object.fromEntries(WEATHER_FEATURES.map((f) => [f, history.map((r) => r[f])]));
        if (w.reference_dataset_version_id !== v1.id) {
          const version = await services().datasets.getVersionById(a.project.id, w.reference_dataset_version_id);
          reference = (await services().datasets.readColumns(version, [...WEATHER_FEATURES])).columns as Record<string, Float64Array>;
        }
        for (const f of WEATHER_FEATURES) {
          // Drift recomputed from the data, independently of the stored window.
          const psi = driftStatistics(Array.from(reference[f]), current.map((r) => r[f]), 'numeric').psi;
          expect(w.drift[f]).toBeCloseTo(psi, 9);
          expect(here.some((x) => x.kind === 'drift' && x.metric === `psi.${f}`)).toBe(psi > monitor.psi_threshold);
        }
        for (const metric of ['accuracy', 'macro_f1']) {
          const crossed = w.performance !== null && w.performance[metric] < w.baseline[metric] - monitor.tolerance;
          expect(here.some((x) => x.kind === 'performance' && x.metric === metric), `${month} ${metric}`).toBe(crossed);
        }
      }
    });

    it('retrains when a performance alert fires, and every decision follows from the holdout metrics', async () => {
      const a = await access();
      const decisions = (await services().retrain.list(a, { limit: 100 })).items;
      const triggered = report.months.filter((m) => m.alerts.some((x) => x.kind === 'performance'));
      expect(decisions).toHaveLength(triggered.length);
      expect(report.totals.retrainings).toBe(triggered.length);
      for (const d of decisions) {
        const beats = d.challenger.metrics.macro_f1 > d.champion.metrics.macro_f1;
        expect(d.decision).toBe(d.challenger.gate.passed && beats ? 'promoted' : 'kept_champion');
        expect(d.holdout.rows).toBe(DEMO_SETTINGS.sample_per_month);
        expect(d.trigger_alert_ids.length).toBeGreaterThan(0);
      }
      const model = await services().registry.getModel(a, DEMO_MODEL);
      const promoted = decisions.filter((d) => d.decision === 'promoted');
      const expectedChampion = promoted.length ? promoted[0].challenger.version : 1; // newest first
      expect(model.aliases.champion).toBe(expectedChampion);
    });
  });
}
