// The demo's report: one entry per stage of the loop, printable as JSON or as text.

export interface MonthReport {
  month: string;
  predictions_logged: number;
  model_version: number;
  labelling: { job: string; tasks: number; labels: number; resolved: number; percent_agreement: number | null; fleiss_kappa: number | null };
  drift: Record<string, number>;
  performance: Record<string, number> | null;
  alerts: Array<{ kind: string; metric: string; value: number; threshold: number; message: string }>;
  retraining: null | {
    decision: 'promoted' | 'kept_champion';
    reason: string;
    champion: { version: number; metrics: Record<string, number> };
    challenger: { run_id: string; version: number | null; metrics: Record<string, number>; gate: { passed: boolean; summary: string } };
  };
}

export interface DemoReport {
  project: string;
  collect: { dataset: string; version: number; rows_read: number; accepted: number; quarantined: number; by_rule: Record<string, number>; injected_bad_rows: number };
  train: { run_id: string; params: Record<string, string>; metrics: Record<string, number>; seed: number | null; code_version: string | null; dataset_version_id: string | null; duration_ms: number };
  validate: { thresholds: Record<string, { min?: number; max?: number }>; passed: boolean; summary: string };
  deploy: { deployment: string; model: string; version: number };
  monitor: { name: string; psi_threshold: number; tolerance: number; baseline: Record<string, number> };
  annotators: Array<{ username: string; error_rate: number; labels: number; wrong_on_purpose: number }>;
  months: MonthReport[];
  totals: { predictions: number; labels: number; alerts: number; drift_alerts: number; performance_alerts: number; retrainings: number; promotions: number };
  duration_ms: number;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '  -  ' : v.toFixed(3));

export function formatReport(r: DemoReport): string {
  const lines: string[] = [];
  lines.push(`Flywheel demo: project '${r.project}'`);
  lines.push('');
  lines.push(`1 collect  ${r.collect.dataset} v${r.collect.version}: read ${r.collect.rows_read}, accepted ${r.collect.accepted}, quarantined ${r.collect.quarantined} (${r.collect.injected_bad_rows} bad rows added on purpose)`);
  lines.push(`2 cleanse  quarantined by rule: ${Object.entries(r.collect.by_rule).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`);
  lines.push(`3 train    run ${r.train.run_id}: holdout accuracy ${pct(r.train.metrics.accuracy)}, macro-F1 ${pct(r.train.metrics.macro_f1)} (code ${r.train.code_version}, seed ${r.train.seed})`);
  lines.push(`4 validate gate ${r.validate.passed ? 'PASSED' : 'FAILED'}: ${r.validate.summary}`);
  lines.push(`5 deploy   ${r.deploy.deployment} → ${r.deploy.model} v${r.deploy.version}`);
  lines.push(`6-9 replay 2014–2015 month by month (PSI threshold ${r.monitor.psi_threshold}, performance tolerance ${r.monitor.tolerance}):`);
  lines.push('   month    preds  model  labels  agree  acc    macroF1  max PSI        alerts  retraining');
  for (const m of r.months) {
    const [maxFeature, maxPsi] = Object.entries(m.drift).sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
    const retrain = m.retraining ? `${m.retraining.decision} (challenger ${pct(m.retraining.challenger.metrics.macro_f1)} vs champion ${pct(m.retraining.champion.metrics.macro_f1)})` : '';
    lines.push(
      `   ${m.month}  ${String(m.predictions_logged).padStart(5)}  v${String(m.model_version).padEnd(4)}  ${String(m.labelling.labels).padStart(6)}  ${pct(m.labelling.percent_agreement)}  ${pct(m.performance?.accuracy)}  ${pct(m.performance?.macro_f1)}    ${maxPsi.toFixed(3)} ${maxFeature.padEnd(13)} ${String(m.alerts.length).padStart(2)}      ${retrain}`,
    );
  }
  lines.push('');
  lines.push(`annotators: ${r.annotators.map((a) => `${a.username} (error rate ${a.error_rate}: ${a.labels} labels)`).join(', ')}`);
  const t = r.totals;
  lines.push(`totals: ${t.predictions} predictions logged, ${t.labels} labels, ${t.alerts} alerts (${t.drift_alerts} drift, ${t.performance_alerts} performance), ${t.retrainings} retrainings, ${t.promotions} promotions, in ${(r.duration_ms / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
