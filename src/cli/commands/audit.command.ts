// flywheel audit list|verify
import { Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, withClient, type CommandEnv } from '../context.js';

export function auditCommand({ io }: CommandEnv): Command {
  const cmd = new Command('audit').description('the hash-chained audit log');
  jsonFlag(
    cmd
      .command('list')
      .description("audit events, newest first (a project's with --project, else the instance's: admin)")
      .option('--project <project>')
      .option('--limit <n>', 'how many', intOption('--limit'), 50),
  ).action(async (o) => {
    const project = o.project ?? io.env.FLYWHEEL_PROJECT;
    const page = await withClient(io, (c) =>
      project ? c.listProjectAudit({ params: { project }, query: { limit: o.limit } }) : c.listAudit({ query: { limit: o.limit } }),
    );
    emit(io, o.json, page, () =>
      table(
        page.items.map((e) => ({ ...e, at: isoTime(e.at), actor: e.actor_name, targets: Object.entries(e.target_ids).map(([k, v]) => `${k}=${v}`).join(' ') })),
        ['seq', 'at', 'actor', 'action', 'outcome', 'targets'],
      ),
    );
  });
  jsonFlag(cmd.command('verify').description('recompute the hash chain; exits 1 when it is broken')).action(async (o) => {
    const v = await withClient(io, (c) => c.verifyAudit());
    emit(io, o.json, v, () => (v.ok ? `audit chain intact: ${v.checked} events verified` : `audit chain BROKEN at event ${v.broken_at}: ${v.reason}`));
    if (!v.ok) throw new AppError('audit_broken', `audit chain broken at event ${v.broken_at}`, { details: { quiet: true } });
  });
  return cmd;
}
