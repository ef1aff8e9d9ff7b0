// flywheel monitor list|show|evaluate|alerts|decisions — drift, performance and retraining.
import { Command } from 'commander';
import { emit, isoTime, table } from '../io.js';
import { jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

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
  return cmd;
}
