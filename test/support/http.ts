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
