// The serving benchmark's server processes: each server under test runs as a child process of the
// benchmark (which runs only the load generator), so every server is measured the same way.
// Node servers start with `node --import tsx`; the Flask peer under gunicorn with Debian's Python.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Server {
  name: string;
  url: string;
  /** Extra fields of the READY line (e.g. Flywheel's token). */
  extra: string[];
  /** Process ids whose CPU time counts as the server's (gunicorn's workers are its children). */
  pids: number[];
  /** Stop it (SIGTERM) and answer what it printed on the way out. */
  stop(): Promise<string>;
}

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(here);

/**
 * Start `node --import tsx SCRIPT ARGS…` and wait for its `READY <port> …` line on stdout or
 * stderr. With `discardStdout`, its stdout (e.g. request logs) goes to /dev/null, not through us.
 */
export function startNode(name: string, script: string, args: string[], opts: { env?: Record<string, string>; nodeArgs?: string[]; discardStdout?: boolean } = {}): Promise<Server> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', opts.discardStdout ? 'ignore' : 'pipe', 'pipe'],
  });
  return ready(name, child, (line) => {
    const m = /^READY (\d+)(.*)$/.exec(line);
    return m ? { port: Number(m[1]), extra: m[2].trim().split(/\s+/).filter(Boolean) } : undefined;
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const GUNICORN = '/usr/bin/gunicorn';

/**
 * The Flask peer under gunicorn (2 workers, one OpenMP thread each, as its header says), or why it
 * cannot run. The workers are gunicorn's `gthread` with one thread: like the default `sync`
 * worker, each serves one request at a time, but it keeps connections alive as the other servers
 * do (a `sync` worker closes the connection after every answer, and a keep-alive load generator
 * then sees about one reset per answer).
 */
export async function startFlask(peerFile: string, features: number): Promise<Server | string> {
  if (!existsSync(peerFile)) return `${peerFile} is absent`;
  if (!existsSync(GUNICORN)) return `${GUNICORN} is missing (apt-get install -y python3-flask gunicorn)`;
  const port = await freePort();
  const child = spawn(GUNICORN, ['-w', '2', '-k', 'gthread', '--threads', '1', '-b', `127.0.0.1:${port}`, '--chdir', dirname(peerFile), 'flask_serve:app'], {
    env: { ...process.env, OMP_NUM_THREADS: '1', FEATURES: String(features) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    // gunicorn logs "Booting worker" per worker once the app (and its model fit) is imported.
    let booted = 0;
    const server = await ready('flask', child, (line) => (/Booting worker/.test(line) && ++booted === 2 ? { port, extra: [] } : undefined), 180_000);
    await waitHttp(`${server.url}/ping`);
    return server;
  } catch (err) {
    return `the Flask peer did not start: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function waitHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function ready(name: string, child: ChildProcess, match: (line: string) => { port: number; extra: string[] } | undefined, timeoutMs = 300_000): Promise<Server> {
  let output = '';
  return new Promise<Server>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start in ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    let started = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (output.length < 1_000_000) output += text;
      if (started) return;
      for (const line of text.split('\n')) {
        const m = match(line.trim());
        if (!m) continue;
        started = true;
        clearTimeout(timer);
        output = '';
        resolve({ name, url: `http://127.0.0.1:${m.port}`, extra: m.extra, pids: [child.pid!], stop: () => stop(child, () => output) });
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      if (!started) fail(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
}

function stop(child: ChildProcess, output: () => string): Promise<string> {
  if (child.exitCode !== null) return Promise.resolve(output());
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 180_000); // a graceful shutdown rolls what is left of the log
    child.once('exit', () => {
      clearTimeout(kill);
      resolve(output());
    });
    child.kill('SIGTERM');
  });
}

/** CPU seconds (user + system) used so far by these processes and their children that are alive (Linux /proc). */
export function cpuSeconds(pids: number[]): number {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  const seen = new Set<number>();
  const add = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / ticks; // utime, stime
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        for (const c of children ? children.split(' ') : []) add(Number(c));
      }
    } catch {
      // gone
    }
  };
  for (const pid of pids) add(pid);
  return total;
}

/** CPU seconds of a process's main thread and of its other threads (Linux /proc). */
export function threadCpuSeconds(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const secs = (Number(f[11]) + Number(f[12])) / 100;
        if (Number(task) === pid) main += secs;
        else others += secs;
      } catch {
        // the thread ended
      }
    }
  } catch {
    // gone
  }
  return { main, others };
}
