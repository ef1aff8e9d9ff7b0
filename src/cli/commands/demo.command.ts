// flywheel demo: run the whole loop headless in a fresh FLYWHEEL_HOME and print a report.
import { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { configFromEnv, openPlatform } from '../../platform.js';
import { ensureAdmin } from '../connection.js';
import { formatReport } from '../demo/demo-report.js';
import { runDemoOn } from '../demo/seed-demo.js';
import { emit } from '../io.js';
import { jsonFlag, type CommandEnv } from '../context.js';

export function demoCommand({ io }: CommandEnv): Command {
  return jsonFlag(
    new Command('demo')
      .description('run the whole loop on seattle-weather in a fresh home and print a report (exits 1 if a stage fails)')
      .option('--home <dir>', 'where to keep it (default: a new temporary folder)')
      .option('--quiet', 'no progress lines'),
  ).action(async (o) => {
    const home = o.home ?? mkdtempSync(join(tmpdir(), 'flywheel-demo-home-'));
    const config = configFromEnv({ ...io.env, FLYWHEEL_HOME: home, FLYWHEEL_DATABASE_URL: o.home ? io.env.FLYWHEEL_DATABASE_URL : undefined });
    const platform = await openPlatform(config);
    try {
      await ensureAdmin(platform, io);
      const log = o.quiet || o.json ? () => undefined : (line: string) => io.err(`  ${line}`);
      const report = await runDemoOn(platform, { log, logger: pino({ level: 'warn' }) });
      emit(io, o.json, { home, ...report }, () => `${formatReport(report)}\n(home: ${home})`);
    } finally {
      await platform.close();
    }
  });
}
