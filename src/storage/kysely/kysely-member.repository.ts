// Project members on Kysely: one role per (project, user), joined to users for display fields.
import type { Kysely } from 'kysely';
import type { Member } from '../../domain/entities.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { MemberRepository } from '../../domain/ports/metadata-store.js';
import type { ProjectRole } from '../../domain/roles.js';
import { cursorKey, toPage } from './cursor.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';

type MemberRow = Omit<Member, 'role' | 'added_at'> & { role: string; added_at: number | string };

const toMember = (r: MemberRow): Member => ({ ...r, role: r.role as ProjectRole, added_at: toNum(r.added_at) });

export class KyselyMemberRepository implements MemberRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private selectMembers(projectId: string) {
    return this.db
      .selectFrom('project_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.project_id', 'm.user_id', 'u.username', 'u.display_name', 'm.role', 'm.added_by', 'm.added_at'])
      .where('m.project_id', '=', projectId);
  }

  /** Insert the member, or change only the role of an existing one (added_by/added_at are kept). */
  async upsert(m: { project_id: string; user_id: string; role: ProjectRole; added_by: string; added_at: number }): Promise<void> {
    await this.db
      .insertInto('project_members')
      .values(m)
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet((eb) => ({ role: eb.ref('excluded.role') })))
      .execute();
  }

  async get(projectId: string, userId: string): Promise<Member | undefined> {
    const row = await this.selectMembers(projectId).where('m.user_id', '=', userId).executeTakeFirst();
    return row && toMember(row);
  }

  /** Ordered by user id (UUIDv7, so by the users' creation). */
  async list(projectId: string, page: PageRequest): Promise<Page<Member>> {
    const limit = pageLimit(page.limit);
    const after = cursorKey(page);
    const rows = await this.selectMembers(projectId)
      .$if(after !== undefined, (q) => q.where('m.user_id', '>', after!))
      .orderBy('m.user_id')
      .limit(limit + 1)
      .execute();
    return toPage(rows.map(toMember), limit, (m) => m.user_id);
  }

  async countWithRole(projectId: string, role: ProjectRole): Promise<number> {
    const row = await this.db
      .selectFrom('project_members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('project_id', '=', projectId)
      .where('role', '=', role)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(projectId: string, userId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
