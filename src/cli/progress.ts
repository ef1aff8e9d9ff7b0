// Progress of long work: a bar redrawn in place on a terminal, one line per change otherwise
// (logs, CI, tests), nothing with --json.
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

/** Where progress lines go: `line` prints a new state; `done` ends a redrawn bar. */
export interface ProgressSink {
  line(text: string): void;
  done?(): void;
}

/** A sink that redraws one terminal line on stderr. */
export const terminalSink: ProgressSink = {
  line: (text) => process.stderr.write(`\r${text}\x1b[K`),
  done: () => process.stderr.write('\n'),
};

/** The sink for a command: none with --json, a redrawn bar on a terminal, plain lines otherwise. */
export function progressSink(io: CliIo, json: boolean): ProgressSink | undefined {
  if (json) return undefined;
  return io.tty ? terminalSink : { line: (text) => io.err(text) };
}

/** Follow a job until it ends, reporting each change of its progress; throws when it fails or is cancelled. */
export async function followJob(client: FlywheelClient, project: string, jobId: string, label: string, sink?: ProgressSink): Promise<JobView> {
  let last = '';
  try {
    for (;;) {
      const job = await client.getJob({ params: { project, job: jobId } });
      const text = `${label} ${progressBar(job.progress, job.status === 'queued' ? 'queued' : (job.progress_message ?? job.status))}`;
      if (sink && text !== last) sink.line(text);
      last = text;
      if (job.status === 'succeeded') return job;
      if (job.status === 'failed' || job.status === 'cancelled') throw new AppError('job_failed', `${label} ${job.status}: ${job.last_error ?? 'no error recorded'}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    sink?.done?.();
  }
}
