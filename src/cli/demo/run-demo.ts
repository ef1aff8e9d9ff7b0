// The whole loop, end to end, on seattle-weather, driven through the API as people would:
// collect 2012–2013 → cleanse → train → validate → deploy → replay 2014–2015 month by month →
// annotate a sample (three simulated annotators) → monitor drift and performance → retrain.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlywheelClient } from '../../client/index.js';
import { api } from '../../contracts/index.js';
import { AppError } from '../../domain/errors.js';
import { followJob } from '../progress.js';
import type { DemoReport, MonthReport } from './demo-report.js';
import { loadSeattleWeather, WEATHER_FEATURES, WEATHER_LABELS, type WeatherRow } from './seattle-weather.js';
import { seededRandom } from '../../domain/seeded-random.js';
import { DEMO_ANNOTATORS, SimulatedAnnotator } from './simulated-annotator.js';

export const DEMO_PROJECT = 'seattle-weather';
export const DEMO_MODEL = 'weather-classifier';
export const DEMO_DEPLOYMENT = 'seattle-weather';
export const DEMO_MONITOR = 'weather-monitor';
const DATASET = 'seattle-weather';

/** The stated thresholds of the demo (the report repeats them). */
export const DEMO_SETTINGS = {
  thresholds: { accuracy: { min: 0.5 }, macro_f1: { min: 0.2 } },
  psi_threshold: 0.2,
  tolerance: 0.05,
  sample_per_month: 20,
  seed: 42,
  holdout: { from: '2013-10-01', to: '2014-01-01' },
};

const RULES = {
  columns: {
    date: { type: 'date', not_null: true },
    precipitation: { type: 'double', not_null: true, range: { min: 0, max: 500 } },
    temp_max: { type: 'double', not_null: true, range: { min: -30, max: 50 } },
    temp_min: { type: 'double', not_null: true, range: { min: -30, max: 50 } },
    wind: { type: 'double', not_null: true, range: { min: 0, max: 60 } },
    weather: { type: 'string', not_null: true, allowed: [...WEATHER_LABELS] },
  },
};

/** Three records that break the rules on purpose, so the quarantine has something to show. */
const BAD_LINES = ['2013-12-31,1.0,8.0', '2013-12-32,-4.0,8.0,2.0,3.1,rain', '2013-12-30,0.0,9.1,3.2,2.2,hail'];

const FEATURES = WEATHER_FEATURES.map((name) => ({ name, kind: 'numeric' as const }));

export interface DemoSession {
  /** The admin's client (local mode or an admin token). */
  admin: FlywheelClient;
  /** A client acting with an API token (the simulated annotators). */
  withToken(token: string): FlywheelClient;
  log(line: string): void;
}


/** `k` distinct indices below `n`, chosen by a seeded Fisher–Yates shuffle, in ascending order. */
function sampleIndices(n: number, k: number, random: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}

function monthKey(date: string): string {
  return date.slice(0, 7);
}

export async function runDemo(session: DemoSession): Promise<DemoReport> {
  const started = Date.now();
  const { admin, log } = session;
  const project = DEMO_PROJECT;
  const data = loadSeattleWeather();
  const truthByDate = new Map(data.rows.map((r) => [r.date, r.weather]));
  const random = seededRandom(DEMO_SETTINGS.seed);

  log(`creating project '${project}' with three simulated annotators`);
  await admin.createProject({ body: { name: project, description: 'Seattle daily weather (2012–2015), replayed as production traffic: the demo loop of Flywheel.' } });
  await admin.putPolicy({ params: { project }, body: { thresholds: DEMO_SETTINGS.thresholds } });
  const annotators: SimulatedAnnotator[] = [];
  for (const [i, profile] of DEMO_ANNOTATORS.entries()) {
    await admin.createUser({ body: { username: profile.username, display_name: profile.display_name } }).catch((e: AppError) => {
      if (e.code !== 'conflict') throw e;
    });
    await admin.putMember({ params: { project, user: profile.username }, body: { role: 'annotator' } });
    const token = await admin.createToken({ body: { name: 'demo-annotator', role: 'annotator', user: profile.username, project } });
    annotators.push(new SimulatedAnnotator(profile, session.withToken(token.secret), DEMO_SETTINGS.seed + i + 1));
  }

  // 1–2. Collect and cleanse 2012–2013.
  const history = data.lines.filter((l) => l < '2014');
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-demo-'));
  let collect: DemoReport['collect'];
  try {
    const file = join(dir, 'seattle-weather-2012-2013.csv');
    writeFileSync(file, [data.header, ...history, ...BAD_LINES].join('\n') + '\n');
    await admin.createDataset({ params: { project }, body: { name: DATASET, description: 'seattle-weather.csv from vega-datasets' } });
    const { createReadStream } = await import('node:fs');
    const v = await admin.upload(api.ingestDataset, {
      params: { project, dataset: DATASET },
      query: { format: 'csv', rules: JSON.stringify(RULES), name: 'seattle-weather-2012-2013.csv' },
      body: createReadStream(file),
      contentType: 'text/csv',
    });
    collect = { dataset: DATASET, version: v.version, rows_read: v.report.rows_read, accepted: v.report.accepted, quarantined: v.report.quarantined, by_rule: v.report.by_rule, injected_bad_rows: BAD_LINES.length };
    log(`ingested ${DATASET} v${v.version}: ${v.report.accepted} accepted, ${v.report.quarantined} quarantined`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 3–4. Train with a time-based holdout (Oct–Dec 2013) and the KPI gate.
  const trainStart = Date.now();
  const queued = await admin.startRun({
    params: { project },
    body: {
      experiment: 'baseline',
      dataset: DATASET,
      target: 'weather',
      features: FEATURES,
      time_column: 'date',
      holdout: DEMO_SETTINGS.holdout,
      params: { l2: 1 },
      seed: DEMO_SETTINGS.seed,
      register: { model: DEMO_MODEL, alias: 'champion' },
    },
  });
  await followJob(admin, project, queued.job_id!, 'training', { line: log });
  const run = await admin.getRun({ params: { project, run: queued.id } });
  const gate = run.gate!;
  const train: DemoReport['train'] = { run_id: run.id, params: run.params, metrics: run.metrics, seed: run.seed, code_version: run.code_version, dataset_version_id: run.dataset_version_id, duration_ms: Date.now() - trainStart };
  const validate = { thresholds: DEMO_SETTINGS.thresholds, passed: gate.passed, summary: gate.summary };
  log(`validation gate ${gate.passed ? 'passed' : 'FAILED'}: ${gate.summary}`);
  if (!gate.passed) throw new AppError('demo_failed', `the first model did not pass the gate: ${gate.summary}`);

  // 5. Deploy the champion.
  const deployment = await admin.createDeployment({ params: { project }, body: { name: DEMO_DEPLOYMENT, model: DEMO_MODEL, alias: 'champion' } });
  const baseline = { accuracy: run.metrics.accuracy, macro_f1: run.metrics.macro_f1 };
  await admin.createMonitor({
    params: { project },
    body: { name: DEMO_MONITOR, deployment: DEMO_DEPLOYMENT, reference_dataset_version_id: run.dataset_version_id!, features: [...WEATHER_FEATURES], psi_threshold: DEMO_SETTINGS.psi_threshold, tolerance: DEMO_SETTINGS.tolerance, baseline },
  });
  log(`deployed ${DEMO_DEPLOYMENT} → ${DEMO_MODEL} v${deployment.serving_version}`);

  // 6–9. Replay 2014–2015 month by month.
  const months = new Map<string, WeatherRow[]>();
  for (const r of data.rows) if (r.date >= '2014') months.set(monthKey(r.date), [...(months.get(monthKey(r.date)) ?? []), r]);
  const reports: MonthReport[] = [];
  for (const [month, rows] of months) {
    const result = await admin.predict({
      params: { deployment: DEMO_DEPLOYMENT },
      body: { rows: rows.map((r) => ({ precipitation: r.precipitation, temp_max: r.temp_max, temp_min: r.temp_min, wind: r.wind })), event_times: rows.map((r) => Date.parse(r.date)) },
    });
    const sample = sampleIndices(rows.length, DEMO_SETTINGS.sample_per_month, random);
    const jobName = `labels-${month}`;
    await admin.createLabellingJob({
      params: { project },
      body: {
        name: jobName,
        labels: [...WEATHER_LABELS],
        overlap: DEMO_ANNOTATORS.length,
        items: sample.map((i) => ({ data: { date: rows[i].date, precipitation: rows[i].precipitation, temp_max: rows[i].temp_max, temp_min: rows[i].temp_min, wind: rows[i].wind }, prediction_id: result.predictions[i].id })),
      },
    });
    let labels = 0;
    for (const a of annotators) labels += await a.work(project, jobName, (d) => truthByDate.get(String(d.date))!, WEATHER_LABELS);
    const job = await admin.getLabellingJob({ params: { project, job: jobName } });
    const evaluated = await admin.runMonitorWindow({ params: { project, monitor: DEMO_MONITOR }, body: { month } });
    const entry: MonthReport = {
      month,
      predictions_logged: result.predictions.length,
      model_version: result.model_version,
      labelling: { job: jobName, tasks: sample.length, labels, resolved: job.stats.resolved_tasks, percent_agreement: job.stats.percent_agreement, fleiss_kappa: job.stats.fleiss_kappa },
      drift: evaluated.window.drift,
      performance: evaluated.window.performance,
      alerts: evaluated.alerts.map(({ kind, metric, value, threshold, message }) => ({ kind, metric, value, threshold, message })),
      retraining: null,
    };
    const performanceAlerts = evaluated.alerts.filter((a) => a.kind === 'performance');
    if (performanceAlerts.length > 0) {
      const { job_id } = await admin.startRetraining({
        params: { project },
        body: {
          model: DEMO_MODEL,
          deployment: DEMO_DEPLOYMENT,
          monitor: DEMO_MONITOR,
          dataset: DATASET,
          history_version: collect.version,
          trigger_alert_ids: performanceAlerts.map((a) => a.id),
          holdout_month: month,
          base_spec: { experiment: 'retraining', features: FEATURES, target: 'weather', time_column: 'date', params: { l2: 1 } },
        },
      });
      await followJob(admin, project, job_id, `retraining after ${month}`, { line: log });
      const [d] = (await admin.listDecisions({ params: { project }, query: { limit: 1 } })).items;
      entry.retraining = { decision: d.decision, reason: d.reason, champion: d.champion, challenger: d.challenger };
      // Serving follows the champion alias: re-read the deployment so the next month uses what was decided.
      await admin.getDeployment({ params: { project, deployment: DEMO_DEPLOYMENT } });
    }
    log(`${month}: ${entry.predictions_logged} predictions, ${labels} labels, ${entry.alerts.length} alerts${entry.retraining ? `, ${entry.retraining.decision}` : ''}`);
    reports.push(entry);
  }

  const all = reports.flatMap((m) => m.alerts);
  return {
    project,
    collect,
    train,
    validate,
    deploy: { deployment: DEMO_DEPLOYMENT, model: DEMO_MODEL, version: deployment.serving_version ?? 1 },
    monitor: { name: DEMO_MONITOR, psi_threshold: DEMO_SETTINGS.psi_threshold, tolerance: DEMO_SETTINGS.tolerance, baseline },
    annotators: annotators.map((a) => ({ username: a.profile.username, error_rate: a.profile.error_rate, labels: a.labelled, wrong_on_purpose: a.wrong })),
    months: reports,
    totals: {
      predictions: reports.reduce((s, m) => s + m.predictions_logged, 0),
      labels: reports.reduce((s, m) => s + m.labelling.labels, 0),
      alerts: all.length,
      drift_alerts: all.filter((a) => a.kind === 'drift').length,
      performance_alerts: all.filter((a) => a.kind === 'performance').length,
      retrainings: reports.filter((m) => m.retraining).length,
      promotions: reports.filter((m) => m.retraining?.decision === 'promoted').length,
    },
    duration_ms: Date.now() - started,
  };
}
