// The one API client of the UI: same-origin fetch, session cookie, CSRF header on mutations.
import { createClient, fetchTransport, type Transport } from '../../src/client/index.js';

/** The value of a readable cookie, e.g. `readCookie('fw_csrf')`. */
export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** Fired when the server answers 401 to anything but sign-in: the session has ended. */
export const SIGNED_OUT_EVENT = 'flywheel:signed-out';

const http = fetchTransport('', { csrf: () => readCookie('fw_csrf') });

const watched: Transport = {
  async send(req) {
    const res = await http.send(req);
    if (res.status === 401 && !req.url.startsWith('/api/v1/auth/')) {
      window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    }
    return res;
  },
};

export const client = createClient(watched);
