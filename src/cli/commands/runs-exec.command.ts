// flywheel runs exec --dataset D [...] -- PROGRAM ARGS…: run a trainer command on the server's
// workers (bring your own trainer), follow it, print its metrics and model; exit 1 when it fails.
import type { Command } from 'commander';
import { AppError, ValidationError } from '../../domain/errors.js';
import { emit } from '../io.js';
import { followJob, progressSink } from '../progress.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

/** `--env NAME=VALUE`, repeatable. */
function collectEnv(pair: string, acc: Record<string, string> = {}): Record<string, string> {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new ValidationError(`--env must be NAME=VALUE, got '${pair}'`, { field: '--env' });
  return { ...acc, [pair.slice(0, eq)]: pair.slice(eq + 1) };
}

/** Add `exec` to the `runs` command. */
export function addRunsExec(runs: Command, { io }: CommandEnv): void {
  jsonFlag(
    runs
      .command('exec')
      .description('run a trainer command on the workers (needs a server with FLYWHEEL_ALLOW_COMMANDS=1): it gets the dataset as FLYWHEEL_DATA_CSV/FLYWHEEL_DATA_PARQUET, MLflow tracking variables, and writes ONNX to FLYWHEEL_MODEL_PATH')
      .argument('<command...>', 'the program and its arguments, after --')
      .requiredOption('--dataset <name>')
      .option('--version <n>', 'dataset version (default: latest)', intOption('--version'))
      .option('--experiment <name>', 'experiment', 'default')
      .option('--timeout <seconds>', 'stop the command after this long (default 3600)', intOption('--timeout'))
      .option('--cwd <dir>', 'absolute working directory on the worker (default: the run’s scratch folder)')
      .option('--env <name=value>', 'an environment variable for the command, repeatable', collectEnv)
      .option('--seed <n>', 'seed (FLYWHEEL_SEED)', (v) => Number(v))
      .option('--register <model>', 'register the model under this name if it passes the gate')
      .option('--alias <alias>', 'and point this alias at it (e.g. champion)')
      .option('--no-wait', 'queue it and return')
      .option('--project <project>'),
  ).action(async (argv: string[], o) => {
    const project = projectOf(io, o);
    if (!io.env.FLYWHEEL_URL) {
      throw new ValidationError('a command run needs a running server that reaches its workers: start `flywheel up` with FLYWHEEL_ALLOW_COMMANDS=1 and set FLYWHEEL_URL and FLYWHEEL_TOKEN', { field: 'FLYWHEEL_URL' });
    }
    const body = {
      experiment: o.experiment,
      dataset: o.dataset,
      version: o.version,
      command: argv,
      cwd: o.cwd,
      timeout_seconds: o.timeout,
      env: o.env,
      seed: o.seed,
      register: o.register ? { model: o.register, alias: o.alias } : undefined,
    };
    const run = await withClient(io, async (c) => {
      const queued = await c.startCommandRun({ params: { project }, body });
      if (!o.wait) return queued;
      await followJob(c, project, queued.job_id!, 'command', progressSink(io, o.json)).catch(() => undefined);
      return c.getRun({ params: { project, run: queued.id } });
    });
    emit(io, o.json, run, () =>
      run.status === 'queued'
        ? `queued command run ${run.id} (job ${run.job_id})`
        : [
            `run ${run.id}: ${run.status}${run.error ? ` — ${run.error}` : ''}`,
            `metrics: ${Object.entries(run.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ') || '-'}`,
            `model:   ${run.model_artifact_sha256 ?? '-'}${run.tags['flywheel.model_contract'] && run.tags['flywheel.model_contract'] !== 'ok' ? ` (not servable: ${run.tags['flywheel.model_contract']})` : ''}`,
            `gate:    ${run.gate?.summary ?? '-'}`,
            run.model_version_id ? `registered as model version ${run.model_version_id}` : 'not registered',
          ].join('\n'),
    );
    if (run.status === 'failed') throw new AppError('run_failed', run.error ?? 'the command run failed', { details: { quiet: true } });
  });
}
