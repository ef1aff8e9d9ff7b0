// flywheel up: API + UI + scheduler + workers in one process; flywheel worker: workers only.
import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { configFromEnv, openPlatform, VERSION } from '../../platform.js';
import { buildApp } from '../../server/app.js';
import { ensureAdmin } from '../connection.js';
import { runDemoOn } from '../demo/seed-demo.js';
import { startMaintenance, startWorkers } from '../../platform/workers.js';
import { startCollection } from '../../platform/collection.js';
import type { CommandEnv } from '../context.js';

const WEB_ROOT = fileURLToPath(new URL('../../../dist/web', import.meta.url));

function onShutdown(fn: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) return;
    closing = true;
    fn().then(
      () => process.exit(0),
      (err) => {
        console.error(`error during shutdown after ${signal}:`, err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}

export function upCommand({ io }: CommandEnv): Command {
  return new Command('up')
    .description('run Flywheel: API, web UI, scheduler and background workers')
    .option('--no-workers', 'serve only; run jobs on `flywheel worker` processes')
    .option('--port <port>', 'override FLYWHEEL_PORT')
    .option('--host <host>', 'override FLYWHEEL_HOST')
    .action(async (o) => {
      const config = configFromEnv(io.env);
      if (o.port) config.port = Number(o.port);
      if (o.host) config.host = o.host;
      const logger = pino({ level: config.logLevel });
      const platform = await openPlatform(config);
      const firstStart = await ensureAdmin(platform, io);
      const app = await buildApp({
        services: platform.services,
        version: VERSION,
        logger: { level: config.logLevel },
        webRoot: WEB_ROOT,
        metricsPublic: config.metricsPublic,
      });
      const address = await app.listen({ host: config.host, port: config.port });
      const pool = o.workers ? startWorkers(platform, logger) : undefined;
      const cron = startMaintenance(platform);
      const collection = startCollection(platform, logger);
      io.err(`Flywheel ${VERSION} is running at ${address.replace('127.0.0.1', 'localhost')}  (home: ${config.home}, metadata: ${platform.store.dialect})`);
      if (firstStart && config.demo && pool) {
        io.err('Seeding the demo project (seattle-weather, the whole loop); FLYWHEEL_DEMO=0 skips this.');
        runDemoOn(platform, { log: (line) => logger.info({ demo: true }, line), logger, workers: false }).then(
          (report) => io.err(`Demo project '${report.project}' is ready: ${report.totals.predictions} predictions, ${report.totals.alerts} alerts, ${report.totals.retrainings} retrainings.`),
          (err) => io.err(`The demo project could not be seeded: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
      onShutdown(async () => {
        cron.stop();
        await collection.stop();
        await app.close();
        await pool?.stop();
        await platform.close();
      });
    });
}

export function workerCommand({ io }: CommandEnv): Command {
  return new Command('worker').description('run background jobs only (scaled-out mode)').action(async () => {
    const config = configFromEnv(io.env);
    const logger = pino({ level: config.logLevel });
    const platform = await openPlatform(config);
    const pool = startWorkers(platform, logger);
    const collection = startCollection(platform, logger);
    io.err(`Flywheel worker ${pool.workerId} is taking jobs from ${platform.store.dialect}`);
    onShutdown(async () => {
      await collection.stop();
      await pool.stop();
      await platform.close();
    });
  });
}
