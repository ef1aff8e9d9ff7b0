// Small helpers to call an in-process app as a browser (session + CSRF) or as an API client.
import type { FastifyInstance } from 'fastify';

export type Headers = Record<string, string>;

export async function signIn(app: FastifyInstance, username: string, password: string): Promise<Headers> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookies = Object.fromEntries(
    (res.headers['set-cookie'] as string[]).map((c) => {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      return [pair.slice(0, i), pair.slice(i + 1)];
    }),
  );
  return { cookie: `fw_session=${cookies.fw_session}`, 'x-csrf-token': cookies.fw_csrf };
}

export function bearer(token: string): Headers {
  return { authorization: `Bearer ${token}` };
}

export async function call(app: FastifyInstance, method: string, url: string, headers: Headers = {}, payload?: unknown) {
  const res = await app.inject({ method: method as 'GET', url, headers, payload: payload as object });
  let body: any;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, headers: res.headers };
}

/** Create a user with a password and make them a member of `project` with `role`; fails the test otherwise. */
export async function addMember(app: FastifyInstance, admin: Headers, project: string, username: string, password: string, role: string): Promise<void> {
  const created = await call(app, 'POST', '/api/v1/users', admin, { username, password });
  if (created.status !== 201) throw new Error(`creating user ${username}: ${created.status} ${JSON.stringify(created.body)}`);
  const member = await call(app, 'PUT', `/api/v1/projects/${project}/members/${username}`, admin, { role });
  if (member.status !== 200) throw new Error(`adding ${username} to ${project}: ${member.status} ${JSON.stringify(member.body)}`);
}
