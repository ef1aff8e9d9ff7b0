// A progress bar on stderr for long work: redrawn in place on a terminal, one line per change
// otherwise (logs, CI), silent with --json.
import type { FlywheelClient } from '../client/index.js';
import type { JobView } from '../contracts/index.js';
import { AppError } from '../domain/errors.js';
import type { CliIo } from './io.js';

const WIDTH = 30;

export function progressBar(fraction: number, message = ''): string {
  const f = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(f * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${message}`.trimEnd();
}

/** Follow a job until it ends, drawing its progress; throws when it fails or is cancelled. */
export async function followJob(client: FlywheelClient, project: string, jobId: string, io: CliIo, options: { quiet?: boolean; label: string }): Promise<JobView> {
  const tty = io === undefined ? false : Boolean(process.stderr.isTTY) && io.env === process.env;
  let last = '';
  for (;;) {
    const job = await client.getJob({ params: { project, job: jobId } });
    const line = `${options.label} ${progressBar(job.progress, job.status === 'queued' ? 'queued' : (job.progress_message ?? job.status))}`;
    if (!options.quiet && line !== last) {
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else io.err(line);
      last = line;
    }
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') {
      if (tty && !options.quiet) process.stderr.write('\n');
      if (job.status !== 'succeeded') throw new AppError('job_failed', `${options.label} ${job.status}: ${job.last_error ?? 'no error recorded'}`);
      return job;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
