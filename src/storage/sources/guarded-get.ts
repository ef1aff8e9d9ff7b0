// An HTTP(S) GET that connects only where the address policy allows: every address a name
// resolves to is checked at connect time (so a name cannot resolve to an allowed address when
// checked and to a forbidden one when used), addresses written in the URL are checked before,
// and redirects are followed by hand (at most five), each hop checked again. Credentials sent as
// an Authorization header are dropped when a redirect leaves the original origin.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { SourceNetworks } from '../../domain/ports/source-reader.js';
import { refusedAddress, refusedAmong, RefusedAddressError } from './address-policy.js';

const MAX_REDIRECTS = 5;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(networks: SourceNetworks) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as LookupAddress[];
      const why = refusedAmong(hostname, list.map((a) => a.address), networks);
      if (why) return callback(new RefusedAddressError(why), '');
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

function getOnce(url: URL, headers: Record<string, string>, networks: SourceNetworks, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusedAddress(host, networks);
    if (why) return Promise.reject(new RefusedAddressError(why));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers, signal, lookup: guardedLookup(networks) as never }, resolve);
    req.on('error', reject);
  });
}

/** GET `url`, following redirects; answers the final response (its body not yet read). */
export async function guardedGet(start: URL, headers: Record<string, string>, networks: SourceNetworks, signal: AbortSignal): Promise<IncomingMessage> {
  let url = start;
  let sent = { ...headers };
  for (let hop = 0; ; hop++) {
    const res = await getOnce(url, sent, networks, signal);
    const status = res.statusCode ?? 0;
    if (status < 300 || status >= 400 || status === 304 || !res.headers.location) return res;
    res.resume(); // drain the redirect's body
    if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(res.headers.location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error(`a redirect to ${next.protocol}// is not followed`);
    if (next.origin !== url.origin) {
      const { authorization: _dropped, ...rest } = sent;
      sent = rest;
    }
    url = next;
  }
}
