// flywheel models list|versions|alias — the model registry.
import { Command } from 'commander';
import { emit, isoTime, table } from '../io.js';
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
          aliases: v.aliases.join(' ') || '-',
          gate: v.gate ? (v.gate.passed ? 'passed' : 'failed') : '-',
          metrics: Object.entries(v.metrics).map(([k, x]) => `${k}=${Number(x.toFixed(4))}`).join(' ') || '-',
          run: v.run_id,
          created: isoTime(v.created_at),
        })),
        ['version', 'aliases', 'gate', 'metrics', 'run', 'created'],
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
      .option('--project <project>'),
  ).action(async (model, alias, version, o) => {
    const project = projectOf(io, o);
    const change = await withClient(io, (c) => c.setModelAlias({ params: { project, model, alias }, body: { version, reason: o.reason } }));
    emit(io, o.json, change, () => `${model}@${alias} → v${change.version}${change.previous_version ? ` (was v${change.previous_version})` : ''}`);
  });
  addModelCardCommands(cmd, { io });
  return cmd;
}
