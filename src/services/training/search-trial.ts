// One trial of a search, as a worker thread (or the job's own thread) runs it: fit the trial's
// spec on the training rows, measure it on the validation rows (which choose the best trial) and
// on the holdout (which the KPI gate judges), and serialise the model.
import { measureModel, type MeasuredModel } from './model-record.js';
import { evaluateModel, fitTrainer, type TrainerData, type TrainerSpec } from './trainers.js';

/** The rows every trial of a search shares. */
export interface TrialData {
  train: TrainerData;
  validation: TrainerData;
  holdout: TrainerData;
}

export interface TrialJob {
  index: number;
  spec: TrainerSpec;
}

export type TrialOutcome =
  | { index: number; ok: true; validation: Record<string, number>; measured: MeasuredModel; seconds: number }
  | { index: number; ok: false; error: string; /** The search was cancelled while the trial ran: it was stopped, not failed (MLflow's KILLED). */ killed?: boolean };

/** Fit and measure one trial; a failure is an outcome, not an exception. `threads` caps gbdt's threads. */
export function runTrial(job: TrialJob, data: TrialData, threads?: number): TrialOutcome {
  const started = performance.now();
  try {
    const model = fitTrainer(job.spec, data.train, () => undefined, { threads });
    const validation = evaluateModel(model, data.validation);
    const measured = measureModel(model, job.spec, { fit: data.train, holdout: data.holdout });
    return { index: job.index, ok: true, validation, measured, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return { index: job.index, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
