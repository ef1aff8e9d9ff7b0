// Run a trainer command: an argv array started without a shell, in its own process group (so a
// timeout or a cancellation stops everything it started), stdout and stderr interleaved into one
// log file, capped in size.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface CommandOptions {
  cwd: string;
  /** The whole environment of the command (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  logPath: string;
  /** Output beyond this many bytes is dropped (a line in the log says so). */
  maxLogBytes: number;
  signal?: AbortSignal;
  /** Called about every `tickMs` while the command runs, with the seconds elapsed. */
  onTick?: (seconds: number) => void;
  tickMs?: number;
  /** Wait this long after SIGTERM before SIGKILL (default 5 s). */
  killGraceMs?: number;
}

export interface CommandResult {
  exitCode: number | null;
  /** The signal that ended it (after a timeout or a cancellation: the one we sent). */
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the command could not be started (e.g. ENOENT: no such program). */
  startError: string | null;
  logBytes: number;
  truncated: boolean;
  seconds: number;
}

/**
 * Run `argv` and resolve once it has exited and its output is in the log (never rejects).
 * @example await runCommand(['/usr/bin/python3', 'train.py'], { cwd, env, timeoutMs: 600_000, logPath, maxLogBytes: 1 << 24 })
 */
export function runCommand(argv: string[], o: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  const log = createWriteStream(o.logPath);
  let logBytes = 0;
  let truncated = false;
  const write = (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (truncated) return;
    if (logBytes + buf.length > o.maxLogBytes) {
      log.write(buf.subarray(0, Math.max(0, o.maxLogBytes - logBytes)));
      log.write(`\n[flywheel] the log was cut at ${o.maxLogBytes} bytes; later output was dropped\n`);
      logBytes = o.maxLogBytes;
      truncated = true;
      return;
    }
    logBytes += buf.length;
    log.write(buf);
  };

  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let startError: string | null = null;
    const child = spawn(argv[0], argv.slice(1), { cwd: o.cwd, env: o.env, detached: true, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', write);
    child.stderr?.on('data', write);
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, sig);
        } catch {
          // Already gone.
        }
      };
      kill('SIGTERM');
      killTimer ??= setTimeout(() => kill('SIGKILL'), o.killGraceMs ?? 5000);
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      write(`\n[flywheel] the command ran past its timeout of ${Math.round(o.timeoutMs / 1000)} s and was stopped\n`);
      stop();
    }, o.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      write('\n[flywheel] the run was cancelled; the command was stopped\n');
      stop();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const ticker = o.onTick ? setInterval(() => o.onTick!((Date.now() - started) / 1000), o.tickMs ?? 2000) : undefined;
    child.on('error', (e) => {
      startError = `cannot start '${argv[0]}': ${e.message}`;
      write(`[flywheel] ${startError}\n`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      if (ticker) clearInterval(ticker);
      o.signal?.removeEventListener('abort', onAbort);
      log.end(() =>
        resolve({ exitCode: code, signal: signal ?? null, timedOut, cancelled, startError, logBytes, truncated, seconds: (Date.now() - started) / 1000 }),
      );
    });
  });
}
