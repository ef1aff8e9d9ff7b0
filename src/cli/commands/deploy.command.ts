// flywheel deploy create|list|update — serve a model by alias or pinned version.
import { Command } from 'commander';
import type { DeploymentView } from '../../contracts/index.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

const describe = (d: DeploymentView) =>
  `${d.name}: ${d.model} ${d.alias ? `@${d.alias}` : `pinned v${d.version}`} (serving v${d.serving_version ?? '?'}) at ${d.predict_path}`;

export function deployCommand({ io }: CommandEnv): Command {
  const cmd = new Command('deploy').description('deployments: a model served at /api/v1/deployments/NAME/predict');
  jsonFlag(
    cmd
      .command('create')
      .description('deploy a model, following an alias (default champion) or pinned to a version')
      .argument('<name>', 'deployment name (unique in the instance)')
      .requiredOption('--model <model>')
      .option('--alias <alias>', 'follow this alias (default champion)')
      .option('--version <n>', 'pin this version', intOption('--version'))
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const d = await withClient(io, (c) => c.createDeployment({ params: { project }, body: { name, model: o.model, alias: o.alias, version: o.version } }));
    emit(io, o.json, d, () => `deployed ${describe(d)}`);
  });
  jsonFlag(cmd.command('list').description("the project's deployments").option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listDeployments({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((d) => ({ ...d, target: d.alias ? `@${d.alias}` : `v${d.version}`, serving: d.serving_version ? `v${d.serving_version}` : '-', logged: d.predictions_logged, updated: isoTime(d.updated_at) })),
        ['name', 'model', 'target', 'serving', 'logged', 'updated'],
      ),
    );
  });
  jsonFlag(
    cmd
      .command('update')
      .description('point a deployment at another alias, version or model (the server swaps without failing a request)')
      .argument('<name>')
      .option('--model <model>')
      .option('--alias <alias>', 'follow this alias')
      .option('--version <n>', 'pin this version', intOption('--version'))
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const d = await withClient(io, (c) => c.updateDeployment({ params: { project, deployment: name }, body: { model: o.model, alias: o.alias, version: o.version } }));
    emit(io, o.json, d, () => `updated ${describe(d)}`);
  });
  return cmd;
}
