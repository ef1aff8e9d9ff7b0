// Run the demo loop on an opened platform: the API in-process, the worker pool for its jobs.
import type { Logger } from 'pino';
import type { Platform } from '../../platform.js';
import { startWorkers } from '../../platform/workers.js';
import { openInProcess } from '../connection.js';
import type { DemoReport } from './demo-report.js';
import { runDemo } from './run-demo.js';

export async function runDemoOn(platform: Platform, options: { log: (line: string) => void; logger: Logger; workers?: boolean }): Promise<DemoReport> {
  const local = await openInProcess(platform);
  const pool = options.workers === false ? undefined : startWorkers(platform, options.logger);
  try {
    return await runDemo({ admin: local.admin, withToken: local.withToken, log: options.log });
  } finally {
    await pool?.stop();
    await local.close();
  }
}
