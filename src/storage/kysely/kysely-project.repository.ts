// Projects on Kysely: unique names; listed all (admin) or only those a user is a member of.
import type { Kysely, Selectable } from 'kysely';
import type { Project } from '../../domain/entities.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { ProjectRepository } from '../../domain/ports/metadata-store.js';
import { cursorKey, toPage } from './cursor.js';
import { toNum } from './row-values.js';
import type { Database, ProjectsTable } from './schema.js';
import { conflictsAs } from './unique-violation.js';

const toProject = (r: Selectable<ProjectsTable>): Project => ({
  id: r.id,
  name: r.name,
  description: r.description,
  created_by: r.created_by,
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

export class KyselyProjectRepository implements ProjectRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(project: Project): Promise<void> {
    await conflictsAs(() => this.db.insertInto('projects').values(project).execute(), {
      name: `a project named '${project.name}' already exists`,
      id: `a project with id '${project.id}' already exists`,
    });
  }

  async getById(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toProject(row);
  }

  async getByName(name: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toProject(row);
  }

  async list(page: PageRequest, memberUserId?: string): Promise<Page<Project>> {
    const limit = pageLimit(page.limit);
    const after = cursorKey(page);
    const rows = await this.db
      .selectFrom('projects')
      .selectAll()
      .$if(memberUserId !== undefined, (q) =>
        q.where('id', 'in', (eb) => eb.selectFrom('project_members').select('project_id').where('user_id', '=', memberUserId!)),
      )
      .$if(after !== undefined, (q) => q.where('id', '>', after!))
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows.map(toProject), limit, (p) => p.id);
  }

  async update(id: string, patch: Partial<Pick<Project, 'description'>>, at: number): Promise<void> {
    await this.db
      .updateTable('projects')
      .set({ updated_at: at, ...(patch.description !== undefined ? { description: patch.description } : {}) })
      .where('id', '=', id)
      .execute();
  }
}
