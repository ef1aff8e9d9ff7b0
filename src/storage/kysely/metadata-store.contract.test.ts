// Contract tests of the metadata store port, run against every database target (SQLite, PostgreSQL).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import type { ApiToken, AuditEvent, NewAuditEvent, Project, UserWithSecret } from '../../domain/entities.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123; // beyond 2^31: catches int8-as-string and int4 truncation
let n = 0;
const unique = (prefix: string) => `${prefix}${++n}`;

const userFixture = (o: Partial<UserWithSecret> = {}): UserWithSecret => ({
  id: newId(),
  username: unique('user'),
  display_name: 'Some One',
  password_hash: 'scrypt$hash',
  is_admin: false,
  disabled: false,
  created_at: T0,
  ...o,
});

const projectFixture = (createdBy: string, o: Partial<Project> = {}): Project => ({
  id: newId(),
  name: unique('proj'),
  description: 'a project',
  created_by: createdBy,
  created_at: T0,
  updated_at: T0,
  ...o,
});

const tokenFixture = (userId: string, o: Partial<ApiToken> = {}): ApiToken => ({
  id: newId(),
  user_id: userId,
  name: 'ci',
  role: 'viewer',
  project_id: null,
  token_hash: createHash('sha256').update(unique('tok')).digest('hex'),
  prefix: 'fw_abc',
  created_at: T0,
  expires_at: null,
  revoked_at: null,
  last_used_at: null,
  ...o,
});

const auditFixture = (o: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  project_id: null,
  actor_id: null,
  actor_name: 'system',
  action: 'test.event',
  target_ids: {},
  outcome: 'success',
  details: {},
  request_id: null,
  at: T0,
  ...o,
});

/** JSON with object keys sorted, so the hash does not depend on property order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
const hashOf = (e: Omit<AuditEvent, 'hash'>): string => createHash('sha256').update(canonical(e)).digest('hex');

/** Walk every page with `limit`, answering the page sizes and all items in order. */
async function walk<T>(fetch: (p: PageRequest) => Promise<Page<T>>, limit: number) {
  const sizes: number[] = [];
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetch({ limit, cursor });
    sizes.push(page.items.length);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null && sizes.length < 100);
  return { sizes, items };
}

async function conflictOf(p: Promise<unknown>): Promise<ConflictError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConflictError);
  return err as ConflictError;
}

function expectChain(events: AuditEvent[]) {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  events.forEach((e, i) => {
    expect(e.prev_hash).toBe(i === 0 ? '0'.repeat(64) : events[i - 1].hash);
    const { hash, ...rest } = e;
    expect(hash).toBe(hashOf(rest));
  });
}

for (const target of databaseTargets) {
  const title = target.available ? `metadata store on ${target.name}` : `metadata store on ${target.name} (skipped: ${target.skipReason})`;

  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    const opened: KyselyMetadataStore[] = [];
    /** A store on a new, empty database (for assertions over a whole table). */
    const fresh = async () => {
      const s = await openMetadataStore(await target.freshUrl());
      opened.push(s);
      return s;
    };

    beforeAll(async () => {
      store = await fresh();
    });
    afterAll(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });

    it('knows its dialect and answers ping', async () => {
      expect(store.dialect).toBe(target.name);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('users', () => {
      it('creates, gets by id and username, and maps booleans and epoch ms', async () => {
        const u = userFixture({ is_admin: true });
        const created = await store.users.create(u);
        expect(created).toEqual({ id: u.id, username: u.username, display_name: u.display_name, is_admin: true, disabled: false, created_at: T0 });
        expect(created).not.toHaveProperty('password_hash');
        const byId = await store.users.getById(u.id);
        expect(byId).toEqual(u);
        expect(typeof byId!.created_at).toBe('number');
        expect(typeof byId!.is_admin).toBe('boolean');
        expect(await store.users.getByUsername(u.username)).toEqual(u);
      });

      it('answers undefined when not found', async () => {
        expect(await store.users.getById(newId())).toBeUndefined();
        expect(await store.users.getByUsername('nobody-here')).toBeUndefined();
      });

      it('refuses a taken username with a ConflictError naming it', async () => {
        const u = userFixture({ username: unique('ann') });
        await store.users.create(u);
        const err = await conflictOf(store.users.create(userFixture({ username: u.username })));
        expect(err.message).toBe(`a user named '${u.username}' already exists`);
        expect(err.details).toEqual({ field: 'username' });
      });

      it('updates fields and the password hash', async () => {
        const u = userFixture();
        await store.users.create(u);
        await store.users.update(u.id, { display_name: 'New Name', is_admin: true, disabled: true });
        await store.users.update(u.id, {});
        await store.users.setPasswordHash(u.id, 'scrypt$new');
        expect(await store.users.getById(u.id)).toEqual({ ...u, display_name: 'New Name', is_admin: true, disabled: true, password_hash: 'scrypt$new' });
        await store.users.update(u.id, { disabled: false });
        expect((await store.users.getById(u.id))!.disabled).toBe(false);
      });

      it('lists by id in pages and counts', async () => {
        const s = await fresh();
        const ids = [];
        for (let i = 0; i < 7; i++) ids.push((await s.users.create(userFixture())).id);
        const { sizes, items } = await walk((p) => s.users.list(p), 3);
        expect(sizes).toEqual([3, 3, 1]);
        expect(items.map((u) => u.id)).toEqual([...ids].sort());
        expect(items[0]).not.toHaveProperty('password_hash');
        expect(await s.users.count()).toBe(7);
        expect(typeof (await s.users.count())).toBe('number');
        const all = await s.users.list({});
        expect(all.items).toHaveLength(7);
        expect(all.next_cursor).toBeNull();
      });

      it('rejects a cursor it did not make', async () => {
        await expect(store.users.list({ cursor: '!!not a cursor' })).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe('sessions', () => {
      const session = (userId: string, o = {}) => ({
        id: newId(),
        user_id: userId,
        token_hash: createHash('sha256').update(unique('sess')).digest('hex'),
        csrf_hash: 'c'.repeat(64),
        created_at: T0,
        last_seen_at: T0,
        expires_at: T0 + 1000,
        ...o,
      });

      it('creates, gets by token hash, touches and deletes', async () => {
        const u = await store.users.create(userFixture());
        const s = session(u.id);
        await store.sessions.create(s);
        const got = await store.sessions.getByTokenHash(s.token_hash);
        expect(got).toEqual(s);
        expect(typeof got!.expires_at).toBe('number');
        await store.sessions.touch(s.id, T0 + 500, T0 + 5000);
        expect(await store.sessions.getByTokenHash(s.token_hash)).toEqual({ ...s, last_seen_at: T0 + 500, expires_at: T0 + 5000 });
        await store.sessions.delete(s.id);
        expect(await store.sessions.getByTokenHash(s.token_hash)).toBeUndefined();
      });

      it('refuses a taken token hash', async () => {
        const u = await store.users.create(userFixture());
        const s = session(u.id);
        await store.sessions.create(s);
        const err = await conflictOf(store.sessions.create(session(u.id, { token_hash: s.token_hash })));
        expect(err.message).toMatch(/token_hash/);
      });

      it('deletes all of a user, and the expired ones', async () => {
        const u = await store.users.create(userFixture());
        const other = await store.users.create(userFixture());
        for (let i = 0; i < 3; i++) await store.sessions.create(session(u.id));
        const keep = session(other.id, { expires_at: 9_000_000_000_000 });
        const expired = session(other.id, { expires_at: T0 + 10 });
        await store.sessions.create(keep);
        await store.sessions.create(expired);
        expect(await store.sessions.deleteForUser(u.id)).toBe(3);
        expect(await store.sessions.deleteForUser(u.id)).toBe(0);
        expect(await store.sessions.deleteExpired(T0 + 10)).toBeGreaterThanOrEqual(1);
        expect(await store.sessions.getByTokenHash(expired.token_hash)).toBeUndefined();
        expect(await store.sessions.getByTokenHash(keep.token_hash)).toEqual(keep);
      });
    });

    describe('tokens', () => {
      it('creates, gets by id and hash, marks used and revokes once', async () => {
        const u = await store.users.create(userFixture());
        const p = projectFixture(u.id);
        await store.projects.create(p);
        const t = tokenFixture(u.id, { project_id: p.id, role: 'ops', expires_at: T0 + 99 });
        await store.tokens.create(t);
        expect(await store.tokens.getById(t.id)).toEqual(t);
        expect(await store.tokens.getByHash(t.token_hash)).toEqual(t);
        await store.tokens.markUsed(t.id, T0 + 1);
        await store.tokens.revoke(t.id, T0 + 2);
        await store.tokens.revoke(t.id, T0 + 3);
        const got = await store.tokens.getById(t.id);
        expect(got).toEqual({ ...t, last_used_at: T0 + 1, revoked_at: T0 + 2 });
        expect(typeof got!.revoked_at).toBe('number');
        expect(await store.tokens.getById(newId())).toBeUndefined();
        expect(await store.tokens.getByHash('f'.repeat(64))).toBeUndefined();
      });

      it('refuses a taken token hash', async () => {
        const u = await store.users.create(userFixture());
        const t = tokenFixture(u.id);
        await store.tokens.create(t);
        const err = await conflictOf(store.tokens.create(tokenFixture(u.id, { token_hash: t.token_hash })));
        expect(err.message).toMatch(/token_hash/);
        expect(err.details).toEqual({ field: 'token_hash' });
      });

      it('lists a user’s tokens in pages', async () => {
        const u = await store.users.create(userFixture());
        const other = await store.users.create(userFixture());
        await store.tokens.create(tokenFixture(other.id));
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const t = tokenFixture(u.id);
          await store.tokens.create(t);
          ids.push(t.id);
        }
        const { sizes, items } = await walk((p) => store.tokens.listForUser(u.id, p), 3);
        expect(sizes).toEqual([3, 3, 1]);
        expect(items.map((t) => t.id)).toEqual([...ids].sort());
      });
    });

    describe('projects', () => {
      it('creates, gets by id and name, and updates', async () => {
        const u = await store.users.create(userFixture());
        const p = projectFixture(u.id);
        await store.projects.create(p);
        expect(await store.projects.getById(p.id)).toEqual(p);
        expect(await store.projects.getByName(p.name)).toEqual(p);
        await store.projects.update(p.id, { description: 'changed' }, T0 + 7);
        expect(await store.projects.getById(p.id)).toEqual({ ...p, description: 'changed', updated_at: T0 + 7 });
        await store.projects.update(p.id, {}, T0 + 8);
        expect((await store.projects.getById(p.id))!.updated_at).toBe(T0 + 8);
        expect(await store.projects.getById(newId())).toBeUndefined();
        expect(await store.projects.getByName('no-such-project')).toBeUndefined();
      });

      it('refuses a taken name with a ConflictError naming it', async () => {
        const u = await store.users.create(userFixture());
        const p = projectFixture(u.id);
        await store.projects.create(p);
        const err = await conflictOf(store.projects.create(projectFixture(u.id, { name: p.name })));
        expect(err.message).toBe(`a project named '${p.name}' already exists`);
        expect(err.details).toEqual({ field: 'name' });
      });

      it('lists all projects in pages, or only those of a member', async () => {
        const s = await fresh();
        const u = await s.users.create(userFixture());
        const member = await s.users.create(userFixture());
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const p = projectFixture(u.id);
          await s.projects.create(p);
          ids.push(p.id);
        }
        const { sizes, items } = await walk((p) => s.projects.list(p), 3);
        expect(sizes).toEqual([3, 3, 1]);
        expect(items.map((p) => p.id)).toEqual([...ids].sort());

        const mine = [ids[1], ids[4], ids[6]];
        for (const id of mine) await s.members.upsert({ project_id: id, user_id: member.id, role: 'viewer', added_by: u.id, added_at: T0 });
        const filtered = await walk((p) => s.projects.list(p, member.id), 2);
        expect(filtered.sizes).toEqual([2, 1]);
        expect(filtered.items.map((p) => p.id)).toEqual([...mine].sort());
        expect((await s.projects.list({}, newId())).items).toEqual([]);
      });
    });

    describe('members', () => {
      it('upserts, gets with the user’s name, changes the role, counts and deletes', async () => {
        const owner = await store.users.create(userFixture());
        const u = await store.users.create(userFixture({ display_name: 'Ann Annotator' }));
        const p = projectFixture(owner.id);
        await store.projects.create(p);
        await store.members.upsert({ project_id: p.id, user_id: owner.id, role: 'owner', added_by: owner.id, added_at: T0 });
        await store.members.upsert({ project_id: p.id, user_id: u.id, role: 'annotator', added_by: owner.id, added_at: T0 + 1 });
        expect(await store.members.get(p.id, u.id)).toEqual({
          project_id: p.id,
          user_id: u.id,
          username: u.username,
          display_name: 'Ann Annotator',
          role: 'annotator',
          added_by: owner.id,
          added_at: T0 + 1,
        });
        await store.members.upsert({ project_id: p.id, user_id: u.id, role: 'owner', added_by: u.id, added_at: T0 + 9 });
        const changed = await store.members.get(p.id, u.id);
        expect(changed).toMatchObject({ role: 'owner', added_by: owner.id, added_at: T0 + 1 });
        expect(await store.members.countWithRole(p.id, 'owner')).toBe(2);
        expect(await store.members.countWithRole(p.id, 'viewer')).toBe(0);
        expect(await store.members.delete(p.id, u.id)).toBe(true);
        expect(await store.members.delete(p.id, u.id)).toBe(false);
        expect(await store.members.get(p.id, u.id)).toBeUndefined();
        expect(await store.members.countWithRole(p.id, 'owner')).toBe(1);
      });

      it('lists a project’s members in pages with their names', async () => {
        const owner = await store.users.create(userFixture());
        const p = projectFixture(owner.id);
        const other = projectFixture(owner.id);
        await store.projects.create(p);
        await store.projects.create(other);
        await store.members.upsert({ project_id: other.id, user_id: owner.id, role: 'owner', added_by: owner.id, added_at: T0 });
        const users = [];
        for (let i = 0; i < 7; i++) {
          const u = await store.users.create(userFixture());
          users.push(u);
          await store.members.upsert({ project_id: p.id, user_id: u.id, role: 'viewer', added_by: owner.id, added_at: T0 });
        }
        const { sizes, items } = await walk((page) => store.members.list(p.id, page), 3);
        expect(sizes).toEqual([3, 3, 1]);
        expect(items.map((m) => m.user_id)).toEqual(users.map((u) => u.id).sort());
        const byId = new Map(users.map((u) => [u.id, u]));
        for (const m of items) expect(m.username).toBe(byId.get(m.user_id)!.username);
      });
    });

    describe('audit', () => {
      it('appends a hash chain, keeps JSON and numbers, and scans oldest first', async () => {
        const s = await fresh();
        const u = await s.users.create(userFixture());
        const details = { nested: { list: [1, 'two', null, true], n: 1.5 }, text: 'é ✓ "quoted"' };
        const first = await s.audit.append(auditFixture({ actor_id: u.id, actor_name: u.username, target_ids: { user: u.id }, details, request_id: 'req-1' }), hashOf);
        expect(first).toMatchObject({ seq: 1, prev_hash: '0'.repeat(64), details, target_ids: { user: u.id } });
        await s.audit.append(auditFixture({ outcome: 'denied' }), hashOf);
        await s.audit.append(auditFixture({ outcome: 'failed' }), hashOf);
        const all = await s.audit.scan(0, 100);
        expect(all[0]).toEqual(first);
        expect(typeof all[0].seq).toBe('number');
        expect(typeof all[0].at).toBe('number');
        expectChain(all);
        expect((await s.audit.scan(1, 1)).map((e) => e.seq)).toEqual([2]);
        expect(await s.audit.scan(3, 10)).toEqual([]);
        expect(await s.audit.head()).toEqual({ seq: 3, hash: all[2].hash });
      });

      it('lists newest first in pages, filtered by project', async () => {
        const s = await fresh();
        const u = await s.users.create(userFixture());
        const p = projectFixture(u.id);
        await s.projects.create(p);
        for (let i = 0; i < 7; i++) await s.audit.append(auditFixture({ project_id: p.id }), hashOf);
        for (let i = 0; i < 2; i++) await s.audit.append(auditFixture(), hashOf);
        await s.audit.append(auditFixture({ project_id: newId() }), hashOf);

        const inProject = await walk((page) => s.audit.list(page, { projectId: p.id }), 3);
        expect(inProject.sizes).toEqual([3, 3, 1]);
        expect(inProject.items.map((e) => e.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
        const instance = await s.audit.list({}, { projectId: null });
        expect(instance.items.map((e) => e.seq)).toEqual([9, 8]);
        const every = await walk((page) => s.audit.list(page, {}), 4);
        expect(every.items.map((e) => e.seq)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        expect(every.sizes).toEqual([4, 4, 2]);
      });

      it('keeps the chain intact under 20 concurrent appends in separate transactions', async () => {
        const s = await fresh();
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => s.transaction((tx) => tx.audit.append(auditFixture({ details: { i } }), hashOf))),
        );
        const events = await s.audit.scan(0, 100);
        expect(new Set(events.map((e) => e.details.i)).size).toBe(20);
        expectChain(events);
      });

      it('keeps the chain intact under concurrent appends outside a transaction', async () => {
        const s = await fresh();
        await Promise.all(Array.from({ length: 10 }, () => s.audit.append(auditFixture(), hashOf)));
        expectChain(await s.audit.scan(0, 100));
      });
    });

    describe('secrets', () => {
      const secret = (projectId: string | null, name: string, ciphertext = 'ct-1') => ({
        id: newId(),
        project_id: projectId,
        name,
        ciphertext,
        created_at: T0,
        updated_at: T0,
      });

      it('puts, gets, replaces, lists without ciphertext and deletes, per project and instance', async () => {
        const u = await store.users.create(userFixture());
        const p = projectFixture(u.id);
        await store.projects.create(p);
        const inst = secret(null, 'smtp');
        const proj = secret(p.id, 'smtp', 'ct-p');
        await store.secrets.put(inst);
        await store.secrets.put(proj);
        await store.secrets.put(secret(p.id, 'aws'));
        expect(await store.secrets.get(null, 'smtp')).toEqual(inst);
        expect(await store.secrets.get(p.id, 'smtp')).toEqual(proj);
        expect(await store.secrets.get(p.id, 'missing')).toBeUndefined();

        await store.secrets.put({ ...secret(p.id, 'smtp', 'ct-new'), updated_at: T0 + 5 });
        expect(await store.secrets.get(p.id, 'smtp')).toEqual({ ...proj, ciphertext: 'ct-new', updated_at: T0 + 5 });

        const listed = await store.secrets.list(p.id);
        expect(listed.map((x) => x.name)).toEqual(['aws', 'smtp']);
        expect(listed[0]).not.toHaveProperty('ciphertext');
        expect(listed[1]).toEqual({ id: proj.id, project_id: p.id, name: 'smtp', created_at: T0, updated_at: T0 + 5 });
        const instance = await store.secrets.list(null);
        expect(instance.find((x) => x.name === 'smtp')).toMatchObject({ id: inst.id, project_id: null });

        expect(await store.secrets.delete(null, 'smtp')).toBe(true);
        expect(await store.secrets.delete(null, 'smtp')).toBe(false);
        expect(await store.secrets.get(null, 'smtp')).toBeUndefined();
        expect(await store.secrets.get(p.id, 'smtp')).toBeDefined();
      });
    });

    describe('transactions', () => {
      it('commits everything and answers the function’s value', async () => {
        const u = userFixture();
        const p = projectFixture(u.id);
        const value = await store.transaction(async (tx) => {
          await tx.users.create(u);
          await tx.projects.create(p);
          await tx.members.upsert({ project_id: p.id, user_id: u.id, role: 'owner', added_by: u.id, added_at: T0 });
          return 42;
        });
        expect(value).toBe(42);
        expect(await store.members.get(p.id, u.id)).toBeDefined();
      });

      it('writes nothing when the function throws', async () => {
        const s = await fresh();
        const u = userFixture();
        const p = projectFixture(u.id);
        await expect(
          s.transaction(async (tx) => {
            await tx.users.create(u);
            await tx.projects.create(p);
            await tx.secrets.put({ id: newId(), project_id: null, name: 'k', ciphertext: 'c', created_at: T0, updated_at: T0 });
            await tx.audit.append(auditFixture(), hashOf);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await s.users.getById(u.id)).toBeUndefined();
        expect(await s.projects.getByName(p.name)).toBeUndefined();
        expect(await s.secrets.get(null, 'k')).toBeUndefined();
        expect(await s.audit.scan(0, 10)).toEqual([]);
        expect((await s.audit.append(auditFixture(), hashOf)).seq).toBe(1);
      });

      it('rolls back when a write conflicts, and the conflict reaches the caller', async () => {
        const u = await store.users.create(userFixture());
        const fresh1 = userFixture();
        const err = await conflictOf(
          store.transaction(async (tx) => {
            await tx.users.create(fresh1);
            await tx.users.create(userFixture({ username: u.username }));
          }),
        );
        expect(err.message).toBe(`a user named '${u.username}' already exists`);
        expect(await store.users.getById(fresh1.id)).toBeUndefined();
      });
    });
  });
}
