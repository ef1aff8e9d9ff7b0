// The worker thread of a search's trial pool: it gets the shared rows once (workerData) and fits
// the trials it is sent, one at a time, answering each trial's outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { runTrial, type TrialData, type TrialJob } from './search-trial.js';

const { data, threads } = workerData as { data: TrialData; threads: number };
parentPort!.on('message', (job: TrialJob) => parentPort!.postMessage(runTrial(job, data, threads)));
