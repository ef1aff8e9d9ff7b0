// flywheel monitor list|show|evaluate|alerts|decisions — drift, performance and retraining.
import { Command } from 'commander';
import { emit, isoTime, table } from '../io.js';
import { jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { followJob, progressSink } from '../progress.js';

const f3 = (v: number | undefined | null) => (v === undefined || v === null ? '-' : v.toFixed(3));
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

export function monitorCommand({ io }: CommandEnv): Command {
  const cmd = new Command('monitor').description('monitors of deployments: drift, performance, alerts, retraining decisions');
  jsonFlag(cmd.command('list').description("the project's monitors").option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listMonitors({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () => table(page.items.map((m) => ({ ...m, features: m.features.join(',') })), ['name', 'deployment', 'features', 'psi_threshold', 'tolerance']));
  });
  jsonFlag(cmd.command('show').description('every window of a monitor: PSI per feature and performance').argument('<monitor>').option('--project <project>')).action(async (name, o) => {
    const project = projectOf(io, o);
    const m = await withClient(io, (c) => c.getMonitor({ params: { project, monitor: name } }));
    emit(io, o.json, m, () =>
      table(
        m.windows.map((w) => ({
          month: month(w.window_start),
          predictions: w.predictions,
          labelled: w.labelled,
          ...Object.fromEntries(m.features.map((f) => [`psi.${f}`, f3(w.drift[f])])),
          accuracy: f3(w.performance?.accuracy),
          macro_f1: f3(w.performance?.macro_f1),
        })),
        ['month', 'predictions', 'labelled', ...m.features.map((f) => `psi.${f}`), 'accuracy', 'macro_f1'],
      ),
    );
  });
  jsonFlag(cmd.command('evaluate').description('evaluate one month now (stores the window, raises alerts)').argument('<monitor>').requiredOption('--month <YYYY-MM>').option('--project <project>')).action(
    async (name, o) => {
      const project = projectOf(io, o);
      const r = await withClient(io, (c) => c.runMonitorWindow({ params: { project, monitor: name }, body: { month: o.month } }));
      emit(io, o.json, r, () => [`${o.month}: ${r.window.predictions} predictions, ${r.window.labelled} labelled`, ...r.alerts.map((a) => `ALERT ${a.kind}: ${a.message}`)].join('\n'));
    },
  );
  jsonFlag(cmd.command('alerts').description('alerts, newest first').option('--open', 'only open ones').option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listAlerts({ params: { project }, query: { limit: 1000, status: o.open ? 'open' : undefined } }));
    emit(io, o.json, page, () => table(page.items.map((a) => ({ ...a, month: month(a.window_start), created: isoTime(a.created_at) })), ['month', 'kind', 'status', 'message']));
  });
  jsonFlag(cmd.command('decisions').description('retraining decisions with the metrics behind them').option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listDecisions({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((d) => ({
          holdout: month(d.holdout.from),
          decision: d.decision,
          champion: `v${d.champion.version} ${f3(d.champion.metrics.macro_f1)}`,
          challenger: `${d.challenger.version ? `v${d.challenger.version}` : 'unregistered'} ${f3(d.challenger.metrics.macro_f1)}`,
          reason: d.reason,
        })),
        ['holdout', 'decision', 'champion', 'challenger', 'reason'],
      ),
    );
  });
  jsonFlag(
    cmd
      .command('retrain')
      .description('retrain now: history + labelled predictions, hold out --month, promote only a challenger that beats the champion there')
      .requiredOption('--model <model>')
      .requiredOption('--deployment <deployment>')
      .requiredOption('--monitor <monitor>')
      .requiredOption('--dataset <dataset>', 'the dataset holding the history')
      .option('--history-version <n>', 'the version with the original history', (v) => Number(v), 1)
      .requiredOption('--month <YYYY-MM>', 'the labelled month to hold out')
      .requiredOption('--target <column>')
      .requiredOption('--features <list>', 'numeric features, comma-separated; suffix ":cat" for categorical')
      .requiredOption('--time-column <column>')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const features = String(o.features)
      .split(',')
      .filter(Boolean)
      .map((f) => (f.endsWith(':cat') ? { name: f.slice(0, -4), kind: 'categorical' as const } : { name: f, kind: 'numeric' as const }));
    const decision = await withClient(
      io,
      async (c) => {
        const { job_id } = await c.startRetraining({
          params: { project },
          body: {
            model: o.model,
            deployment: o.deployment,
            monitor: o.monitor,
            dataset: o.dataset,
            history_version: o.historyVersion,
            holdout_month: o.month,
            base_spec: { features, target: o.target, time_column: o.timeColumn },
          },
        });
        await followJob(c, project, job_id, 'retraining', progressSink(io, o.json));
        return (await c.listDecisions({ params: { project }, query: { limit: 1 } })).items[0];
      },
      { workers: true },
    );
    emit(io, o.json, decision, () => `${decision.decision}: ${decision.reason}`);
  });
  return cmd;
}
