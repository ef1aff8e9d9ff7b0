// Bring your own trainer: a run that executes a command on a worker, with the dataset version as
// Parquet and CSV and the tracking API at hand, collecting the ONNX model it writes.
import { z } from 'zod';
import { Name, ProjectParams } from './common.js';
import { endpoint } from './endpoint.js';
import { RunView } from './training.contract.js';

export const CommandRunBody = z.object({
  experiment: Name.default('default'),
  dataset: z.string().min(1).max(100),
  /** Dataset version number (default: the latest). */
  version: z.number().int().min(1).optional(),
  /** The program and its arguments, run without a shell: ["/usr/bin/python3", "train.py", "--target", "weather"] (["sh", "-c", "…"] for a shell). */
  command: z.array(z.string().max(10_000)).min(1).max(1000),
  /** Absolute working directory on the worker (default: the run's scratch folder, which holds the data). */
  cwd: z.string().min(1).max(4096).optional(),
  /** Seconds before the command is stopped and the run fails (default 3600). */
  timeout_seconds: z.number().int().min(1).optional(),
  /** More environment variables (FLYWHEEL_* and MLFLOW_* are set by Flywheel). */
  env: z.record(z.string().min(1).max(128), z.string().max(100_000)).optional(),
  seed: z.number().int().optional(),
  /** Register the model when it passes the gate (it must follow Flywheel's model contract). */
  register: z.object({ model: Name, alias: Name.optional() }).optional(),
});

export const startCommandRun = endpoint({
  id: 'runs.command',
  method: 'POST',
  path: '/api/v1/projects/:project/command-runs',
  summary:
    'Run a trainer command in the background (needs FLYWHEEL_ALLOW_COMMANDS=1): it gets FLYWHEEL_DATA_PARQUET, FLYWHEEL_DATA_CSV, FLYWHEEL_MODEL_PATH, MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and a token for the run; its output is the artifact flywheel/command.log, the ONNX it writes the run’s model',
  tag: 'training',
  auth: { action: 'experiment.command' },
  status: 202,
  params: ProjectParams,
  body: CommandRunBody,
  response: RunView,
});
