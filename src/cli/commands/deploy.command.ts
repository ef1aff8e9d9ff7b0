// flywheel deploy create|list|update|canary|shadow|batching|rollback|history — serve a model by
// alias or pinned version, split traffic to a canary, mirror it to a shadow, tune micro-batching,
// roll back.
import { Command } from 'commander';
import type { DeploymentBindingView, DeploymentView } from '../../contracts/index.js';
import { ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

type Target = { alias: string | null; version: number | null };
const targetText = (t: Target) => (t.alias ? `@${t.alias}` : `pinned v${t.version}`);

const describe = (d: DeploymentView) =>
  [
    `${d.name}: ${d.model} ${targetText(d)} (serving v${d.serving_version ?? '?'}) at ${d.predict_path}`,
    d.canary ? `; canary ${targetText(d.canary)} (v${d.canary_version ?? '?'}) takes ${d.canary.percent}%` : '',
    d.shadow ? `; shadow ${targetText(d.shadow)} (v${d.shadow_version ?? '?'}) gets a mirror` : '',
  ].join('');

function batchingText(b: DeploymentView['batching']): string {
  return b.max_rows <= 1 ? 'micro-batching off' : `micro-batching up to ${b.max_rows} rows, ${b.max_delay_ms} ms`;
}

/** A whole number ≥ 0 (a delay may be 0). */
function wholeOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new ValidationError(`${name} must be a whole number of 0 or more, got '${value}'`, { field: name });
    return n;
  };
}

/** --batch-max-rows / --batch-max-delay-ms as the API's batching settings (undefined when neither is given). */
function batchingOf(o: { batchMaxRows?: number; batchMaxDelayMs?: number }): { max_rows?: number; max_delay_ms?: number } | undefined {
  if (o.batchMaxRows === undefined && o.batchMaxDelayMs === undefined) return undefined;
  return { max_rows: o.batchMaxRows, max_delay_ms: o.batchMaxDelayMs };
}

/** --alias A or --version N (exactly one), as a canary or shadow target. */
function sideTarget(o: { alias?: string; version?: number }, what: string): { alias?: string; version?: number } {
  if ((o.alias === undefined) === (o.version === undefined)) throw new ValidationError(`${what} needs --alias A or --version N (one of the two), or --off`, { field: '--version' });
  return o.alias !== undefined ? { alias: o.alias } : { version: o.version };
}

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
      .option('--batch-max-rows <n>', 'micro-batching: rows per model run at most (1 = off; default 64)', intOption('--batch-max-rows'))
      .option('--batch-max-delay-ms <ms>', 'micro-batching: longest wait behind a running batch (default 2)', wholeOption('--batch-max-delay-ms'))
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const d = await withClient(io, (c) => c.createDeployment({ params: { project }, body: { name, model: o.model, alias: o.alias, version: o.version, batching: batchingOf(o) } }));
    emit(io, o.json, d, () => `deployed ${describe(d)}`);
  });
  jsonFlag(cmd.command('list').description("the project's deployments").option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listDeployments({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((d) => ({
          ...d,
          target: d.alias ? `@${d.alias}` : `v${d.version}`,
          serving: d.serving_version ? `v${d.serving_version}` : '-',
          canary: d.canary ? `v${d.canary_version ?? '?'} ${d.canary.percent}%` : '-',
          shadow: d.shadow ? `v${d.shadow_version ?? '?'}` : '-',
          batching: d.batching.max_rows <= 1 ? 'off' : `${d.batching.max_rows} rows, ${d.batching.max_delay_ms} ms`,
          logged: d.predictions_logged,
          updated: isoTime(d.updated_at),
        })),
        ['name', 'model', 'target', 'serving', 'canary', 'shadow', 'batching', 'logged', 'updated'],
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
      .option('--reason <text>', 'why (kept in the binding history)')
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const d = await withClient(io, (c) => c.updateDeployment({ params: { project, deployment: name }, body: { model: o.model, alias: o.alias, version: o.version, reason: o.reason } }));
    emit(io, o.json, d, () => `updated ${describe(d)}`);
  });
  jsonFlag(
    cmd
      .command('canary')
      .description('send a share of the requests to another version (by a hash of the request\'s first prediction id), or stop with --off')
      .argument('<name>')
      .option('--version <n>', 'the canary version', intOption('--version'))
      .option('--alias <alias>', 'or the version an alias names')
      .option('--percent <p>', 'share of requests, 1-99', intOption('--percent'))
      .option('--off', 'remove the canary (all requests to the primary)')
      .option('--reason <text>', 'why (kept in the binding history)')
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    let canary: ({ alias?: string; version?: number } & { percent: number }) | null = null;
    if (!o.off) {
      if (o.percent === undefined) throw new ValidationError('--percent P (1-99) is required, or --off', { field: '--percent' });
      if (o.percent > 99) throw new ValidationError(`--percent must be from 1 to 99, got ${o.percent}`, { field: '--percent' });
      canary = { ...sideTarget(o, 'a canary'), percent: o.percent };
    }
    const d = await withClient(io, (c) => c.updateDeployment({ params: { project, deployment: name }, body: { canary, reason: o.reason } }));
    emit(io, o.json, d, () => `updated ${describe(d)}`);
  });
  jsonFlag(
    cmd
      .command('shadow')
      .description('mirror every request to another version (outputs logged as shadow, never returned), or stop with --off')
      .argument('<name>')
      .option('--version <n>', 'the shadow version', intOption('--version'))
      .option('--alias <alias>', 'or the version an alias names')
      .option('--off', 'remove the shadow')
      .option('--reason <text>', 'why (kept in the binding history)')
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const shadow = o.off ? null : sideTarget(o, 'a shadow');
    const d = await withClient(io, (c) => c.updateDeployment({ params: { project, deployment: name }, body: { shadow, reason: o.reason } }));
    emit(io, o.json, d, () => `updated ${describe(d)}`);
  });
  jsonFlag(
    cmd
      .command('batching')
      .description('coalesce concurrent requests into one model run: rows per run at most and the longest wait behind a running batch; --off runs each request alone')
      .argument('<name>')
      .option('--max-rows <n>', 'rows per model run at most (1 = off)', intOption('--max-rows'))
      .option('--max-delay-ms <ms>', 'longest wait behind a running batch, in ms (0: only requests arriving together are coalesced)', wholeOption('--max-delay-ms'))
      .option('--off', 'turn micro-batching off (same as --max-rows 1)')
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const batching = o.off ? { max_rows: 1 } : batchingOf({ batchMaxRows: o.maxRows, batchMaxDelayMs: o.maxDelayMs });
    if (!batching) throw new ValidationError('give --max-rows N and/or --max-delay-ms MS, or --off', { field: '--max-rows' });
    const d = await withClient(io, (c) => c.updateDeployment({ params: { project, deployment: name }, body: { batching } }));
    emit(io, o.json, d, () => `updated ${d.name}: ${batchingText(d.batching)}`);
  });
  jsonFlag(
    cmd
      .command('rollback')
      .description('return the deployment to its binding before the latest change (instant; the history keeps both)')
      .argument('<name>')
      .option('--reason <text>', 'why (kept in the binding history)')
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const d = await withClient(io, (c) => c.rollbackDeployment({ params: { project, deployment: name }, body: { reason: o.reason } }));
    emit(io, o.json, d, () => `rolled back ${describe(d)}`);
  });
  jsonFlag(cmd.command('history').description("a deployment's bindings, newest first").argument('<name>').option('--project <project>')).action(async (name, o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listDeploymentHistory({ params: { project, deployment: name }, query: { limit: 1000 } }));
    emit(io, o.json, page, () => table(page.items.map(historyRow), ['at', 'change', 'binding', 'serving', 'who', 'reason']));
  });
  return cmd;
}

function historyRow(b: DeploymentBindingView) {
  return {
    at: isoTime(b.at),
    change: b.change,
    binding: [targetText(b), b.canary ? `canary ${targetText(b.canary)} ${b.canary.percent}%` : '', b.shadow ? `shadow ${targetText(b.shadow)}` : ''].filter(Boolean).join(', '),
    serving: [b.serving_version ? `v${b.serving_version}` : '?', b.canary_version ? `canary v${b.canary_version}` : '', b.shadow_version ? `shadow v${b.shadow_version}` : ''].filter(Boolean).join(' '),
    who: b.who_name,
    reason: b.reason || '-',
  };
}
