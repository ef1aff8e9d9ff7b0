// Port of the trials of hyper-parameter searches: one row per child run of a search's parent run.
// Same conventions as metadata-store.ts: create → list → update.
import type { SearchTrial } from '../search.js';

export type SearchTrialPatch = Partial<Pick<SearchTrial, 'status' | 'value' | 'error' | 'updated_at'>>;

export interface SearchTrialRepository {
  /** Insert the trials of a search (its child runs must exist). */
  createMany(trials: SearchTrial[]): Promise<void>;
  /** The trials of a parent run, by trial number; empty when the run is not a search. */
  list(parentRunId: string): Promise<SearchTrial[]>;
  /** Change the trial of a child run; nothing when it is not a trial. */
  update(runId: string, patch: SearchTrialPatch): Promise<void>;
}
