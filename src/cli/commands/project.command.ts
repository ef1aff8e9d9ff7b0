// flywheel project create|list|members
import { Command } from 'commander';
import { PROJECT_ROLES } from '../../domain/roles.js';
import { ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

export function projectCommand({ io }: CommandEnv): Command {
  const cmd = new Command('project').description('projects and their members');
  jsonFlag(cmd.command('create').description('create a project (you become its owner)').argument('<name>').option('--description <text>')).action(
    async (name, o) => {
      const p = await withClient(io, (c) => c.createProject({ body: { name, description: o.description } }));
      emit(io, o.json, p, () => `created project ${p.name} (${p.id})`);
    },
  );
  jsonFlag(cmd.command('list').description('projects you can see')).action(async (o) => {
    const page = await withClient(io, (c) => c.listProjects({ query: { limit: 1000 } }));
    emit(io, o.json, page, () => table(page.items.map((p) => ({ ...p, created: isoTime(p.created_at) })), ['name', 'my_role', 'created', 'description']));
  });

  const members = new Command('members').description("a project's members");
  jsonFlag(members.command('list', { isDefault: true }).description('list members').option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listMembers({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () => table(page.items.map((m) => ({ ...m, added: isoTime(m.added_at) })), ['username', 'display_name', 'role', 'added']));
  });
  jsonFlag(
    members
      .command('add')
      .description('add a member, or change their role')
      .argument('<username>')
      .requiredOption('--role <role>', PROJECT_ROLES.join(', '))
      .option('--project <project>'),
  ).action(async (username, o) => {
    if (!(PROJECT_ROLES as readonly string[]).includes(o.role)) {
      throw new ValidationError(`--role must be one of ${PROJECT_ROLES.join(', ')}, got '${o.role}'`, { field: '--role' });
    }
    const project = projectOf(io, o);
    const m = await withClient(io, (c) => c.putMember({ params: { project, user: username }, body: { role: o.role } }));
    emit(io, o.json, m, () => `${m.username} is ${m.role} in ${project}`);
  });
  jsonFlag(members.command('remove').description('remove a member').argument('<username>').option('--project <project>')).action(async (username, o) => {
    const project = projectOf(io, o);
    const res = await withClient(io, (c) => c.removeMember({ params: { project, user: username } }));
    emit(io, o.json, res, () => `removed ${username} from ${project}`);
  });
  cmd.addCommand(members);
  return cmd;
}
