// flywheel models list|versions|alias|validate — the model registry and its KPI gate.
import { Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { gateReportText } from './gate-report.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { addModelCardCommands } from './model-card.command.js';

export function modelsCommand({ io }: CommandEnv): Command {
  const cmd = new Command('models').description('the model registry: models, versions, aliases');
  jsonFlag(cmd.command('list').description("the project's registered models").option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listModels({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((m) => ({ ...m, aliases: Object.entries(m.aliases).map(([a, v]) => `${a}=v${v}`).join(' ') || '-', created: isoTime(m.created_at) })),
        ['name', 'latest_version', 'aliases', 'created'],
      ),
    );
  });
  jsonFlag(cmd.command('versions').description("a model's versions, newest first").argument('<model>').option('--project <project>')).action(async (model, o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listModelVersions({ params: { project, model }, query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((v) => ({
          version: v.version,
          task: v.task,
          aliases: v.aliases.join(' ') || '-',
          gate: v.gate ? (v.gate.passed ? 'passed' : 'failed') : '-',
          metrics: Object.entries(v.metrics).map(([k, x]) => `${k}=${Number(x.toFixed(4))}`).join(' ') || '-',
          run: v.run_id,
          created: isoTime(v.created_at),
        })),
        ['version', 'task', 'aliases', 'gate', 'metrics', 'run', 'created'],
      ),
    );
  });
  jsonFlag(
    cmd
      .command('alias')
      .description('point an alias (e.g. champion) at a version; deployments following it switch')
      .argument('<model>')
      .argument('<alias>')
      .argument('<version>', 'version number', intOption('<version>'))
      .option('--reason <text>', 'why (kept in the alias history)', '')
      .option('--override-gate', 'make it champion although its KPI gate failed (admins and owners; needs --reason)')
      .option('--project <project>'),
  ).action(async (model, alias, version, o) => {
    const project = projectOf(io, o);
    const change = await withClient(io, (c) => c.setModelAlias({ params: { project, model, alias }, body: { version, reason: o.reason, override_gate: o.overrideGate } }));
    emit(io, o.json, change, () => `${model}@${alias} → v${change.version}${change.previous_version ? ` (was v${change.previous_version})` : ''}`);
  });
  jsonFlag(
    cmd
      .command('validate')
      .description("judge a version by the project's KPI gate now and record the report; exits 1 when the gate fails (for CI/CD)")
      .argument('<model>')
      .requiredOption('--version <n>', 'version number', intOption('--version'))
      .option('--project <project>'),
  ).action(async (model, o) => {
    const project = projectOf(io, o);
    const result = await withClient(io, (c) => c.validateModelVersion({ params: { project, model, version: o.version } }));
    emit(io, o.json, result, () => gateReportText(`${result.model} v${result.version} KPI gate`, result.gate));
    // Exit code 1 on a failed gate, so a pipeline stops here; the report is already printed.
    if (!result.gate.passed) throw new AppError('gate_failed', result.gate.summary, { details: { quiet: true } });
  });
  addModelCardCommands(cmd, { io });
  return cmd;
}
