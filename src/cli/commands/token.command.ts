// flywheel token create|list|revoke
import { Command } from 'commander';
import { TOKEN_ROLES } from '../../domain/roles.js';
import { ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, withClient, type CommandEnv } from '../context.js';

export function tokenCommand({ io }: CommandEnv): Command {
  const cmd = new Command('token').description('API tokens');
  jsonFlag(
    cmd
      .command('create')
      .description('create an API token and print it (shown once)')
      .requiredOption('--role <role>', `one of ${TOKEN_ROLES.join(', ')}`)
      .option('--user <user>', 'owner of the token (admins only; default: you, or the admin in local mode)')
      .option('--project <project>', 'limit the token to one project (its default project)')
      .option('--name <name>', 'a name to recognise it by', 'cli')
      .option('--expires-days <days>', 'expire after this many days', intOption('--expires-days')),
  ).action(async (o) => {
    if (!(TOKEN_ROLES as readonly string[]).includes(o.role)) {
      throw new ValidationError(`--role must be one of ${TOKEN_ROLES.join(', ')}, got '${o.role}'`, { field: '--role' });
    }
    const res = await withClient(io, (c) =>
      c.createToken({ body: { name: o.name, role: o.role, user: o.user, project: o.project, expires_in_days: o.expiresDays } }),
    );
    emit(io, o.json, res, () => res.secret);
  });
  jsonFlag(cmd.command('list').description('your tokens')).action(async (o) => {
    const page = await withClient(io, (c) => c.listTokens({ query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((t) => ({ ...t, created: isoTime(t.created_at), expires: isoTime(t.expires_at), revoked: isoTime(t.revoked_at) })),
        ['id', 'name', 'role', 'project', 'prefix', 'created', 'expires', 'revoked'],
      ),
    );
  });
  jsonFlag(cmd.command('revoke').description('revoke a token').argument('<id>')).action(async (id, o) => {
    const res = await withClient(io, (c) => c.revokeToken({ params: { token: id } }));
    emit(io, o.json, res, () => `revoked ${id}`);
  });
  return cmd;
}
