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

/** Bytes as people read them: `512 B`, `85.4 KiB`, `1.2 GiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * The sink for byte progress (an upload streaming a file): none with --json; a redrawn bar on a
 * terminal; elsewhere nothing, unless FLYWHEEL_PROGRESS=1 asks for plain lines (FLYWHEEL_PROGRESS=0
 * turns it off everywhere).
 */
export function transferSink(io: CliIo, json: boolean): ProgressSink | undefined {
  const setting = io.env.FLYWHEEL_PROGRESS;
  if (json || setting === '0') return undefined;
  if (io.tty) return terminalSink;
  return setting === '1' ? { line: (text) => io.err(text) } : undefined;
}

export interface ByteProgress {
  update(sent: number): void;
  /** Ends the bar (a newline on a terminal); call it in `finally`. */
  done(): void;
}

/**
 * A bar of bytes sent out of `total`: `label [####…]  45% 38.1 KiB / 85.4 KiB`, redrawn at each
 * percent on a terminal and printed at each 10 % otherwise (so logs stay short).
 */
export function byteProgress(label: string, total: number, sink: ProgressSink | undefined): ByteProgress {
  const step = sink === terminalSink ? 1 : 10;
  let shown = -1;
  return {
    update(sent) {
      if (!sink) return;
      const fraction = total > 0 ? Math.min(1, sent / total) : 1;
      // Floored, so 100 % means every byte has gone.
      const percent = Math.floor(fraction * 100);
      const at = Math.floor(percent / step);
      if (at === shown) return;
      shown = at;
      sink.line(`${label} ${progressBar(percent / 100, `${formatBytes(Math.min(sent, total))} / ${formatBytes(total)}`)}`);
    },
    done() {
      sink?.done?.();
    },
  };
}
