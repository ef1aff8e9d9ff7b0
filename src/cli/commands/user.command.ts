// flywheel user create|list|reset-password
import { Command } from 'commander';
import { configFromEnv, openPlatform } from '../../platform.js';
import { emit, isoTime, table } from '../io.js';
import { jsonFlag, withClient, type CommandEnv } from '../context.js';

export function userCommand({ io }: CommandEnv): Command {
  const cmd = new Command('user').description('users of the instance');
  jsonFlag(
    cmd
      .command('create')
      .description('create a user and print their generated password (shown once)')
      .argument('<username>')
      .option('--display-name <name>')
      .option('--admin', 'make them an instance admin'),
  ).action(async (username, o) => {
    const res = await withClient(io, (c) => c.createUser({ body: { username, display_name: o.displayName, is_admin: Boolean(o.admin) } }));
    emit(io, o.json, res, () => `created ${res.user.username}; password (shown once): ${res.password}`);
  });
  jsonFlag(cmd.command('list').description('all users')).action(async (o) => {
    const page = await withClient(io, (c) => c.listUsers({ query: { limit: 1000 } }));
    emit(io, o.json, page, () => table(page.items.map((u) => ({ ...u, created: isoTime(u.created_at) })), ['username', 'display_name', 'is_admin', 'disabled', 'created']));
  });
  // Recovery path: works on the local instance directly, even when nobody can sign in.
  jsonFlag(cmd.command('reset-password').description('print a new password for a user (local mode)').argument('<username>')).action(
    async (username, o) => {
      const platform = await openPlatform(configFromEnv(io.env));
      try {
        const res = await platform.services.users.resetPassword(null, username);
        emit(io, o.json, { username: res.user.username, password: res.password }, () => res.password);
      } finally {
        await platform.close();
      }
    },
  );
  return cmd;
}
