// The HTTP download adapter against a local server: streamed to a file, bounded by bytes and
// time, non-2xx and wrong schemes refused, credentials sent as a header and never in a message.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadHttp } from './http-download.js';

describe('downloadHttp', () => {
  let server: Server;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-download-'));
  let n = 0;
  const dest = () => join(dir, `file-${n++}`);

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/data.csv') return void res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end('a,b\n1,2\n');
      if (req.url === '/auth') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(req.headers.authorization ?? 'none');
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'text/csv' }); // no content-length: the limit applies while streaming
        res.write('x'.repeat(600));
        return void res.end('y'.repeat(600));
      }
      if (req.url === '/slow') {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.write('a,b\n');
        return void setTimeout(() => res.end('1,2\n'), 2_000);
      }
      res.writeHead(500, 'Server Trouble').end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('writes the body to the file and answers its size and media type', async () => {
    const file = dest();
    expect(await downloadHttp({ url: `${base}/data.csv`, dest: file, maxBytes: 1000, timeoutMs: 5_000 }, 'any')).toEqual({ bytes: 8, contentType: 'text/csv' });
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('sends the URL\'s user and password as basic authentication', async () => {
    const file = dest();
    await downloadHttp({ url: `${base.replace('//', '//ann:pa55word@')}/auth`, dest: file, maxBytes: 1000, timeoutMs: 5_000 }, 'any');
    expect(readFileSync(file, 'utf8')).toBe(`Basic ${Buffer.from('ann:pa55word').toString('base64')}`);
  });

  it('fails past the byte limit, on a non-2xx answer, after the timeout, and on other schemes, without credentials in the message', async () => {
    await expect(downloadHttp({ url: `${base}/big`, dest: dest(), maxBytes: 1000, timeoutMs: 5_000 }, 'any')).rejects.toThrow(/larger than the limit of 1000 bytes/);
    await expect(downloadHttp({ url: `${base}/other?key=s3cr3t`, dest: dest(), maxBytes: 1000, timeoutMs: 5_000 }, 'any')).rejects.toThrow(`GET ${base}/other?key=*** answered HTTP 500 Server Trouble`);
    await expect(downloadHttp({ url: `${base}/slow`, dest: dest(), maxBytes: 1000, timeoutMs: 300 }, 'any')).rejects.toThrow(/timed out after 0 s|timed out/);
    await expect(downloadHttp({ url: 'file:///etc/passwd', dest: dest(), maxBytes: 1000, timeoutMs: 300 }, 'any')).rejects.toThrow(/must be http:\/\/ or https:\/\//);
    const refused = downloadHttp({ url: 'http://ann:s3cr3t-pw@127.0.0.1:9/x.csv', dest: dest(), maxBytes: 1000, timeoutMs: 2_000 }, 'any');
    await expect(refused).rejects.toThrow(/^GET http:\/\/127\.0\.0\.1:9\/x\.csv failed: /);
    await expect(refused.catch((e: Error) => e.message)).resolves.not.toContain('s3cr3t');
  });
});

describe('downloadHttp within the address policy', () => {
  let server: Server;
  let port = 0;
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-policy-'));
  let n = 0;
  const dest = () => join(dir, `file-${n++}`);
  // An address of this machine that is not loopback (a private one), if it has any.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/to-loopback') return void res.writeHead(302, { location: `http://127.0.0.1:${port}/data.csv` }).end();
      res.writeHead(200, { 'content-type': 'text/csv' }).end('a\n1\n');
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('refuses this host by address and by name under the default policy, naming the policy; allows it under any', async () => {
    const get = (url: string, networks?: 'private' | 'any') => downloadHttp({ url, dest: dest(), maxBytes: 1000, timeoutMs: 5_000 }, networks);
    await expect(get(`http://127.0.0.1:${port}/data.csv`)).rejects.toThrow(/refused: 127\.0\.0\.1 is a loopback, link-local or reserved address \(FLYWHEEL_SOURCE_NETWORKS=private\)/);
    await expect(get(`http://localhost:${port}/data.csv`)).rejects.toThrow(/refused: localhost resolves to .* loopback/);
    await expect(get('http://169.254.169.254/latest/meta-data/')).rejects.toThrow(/refused: 169\.254\.169\.254/);
    await expect(get(`http://[::1]:${port}/data.csv`)).rejects.toThrow(/refused/);
    expect(await get(`http://127.0.0.1:${port}/data.csv`, 'any')).toEqual({ bytes: 4, contentType: 'text/csv' });
  });

  it.skipIf(!lan)('checks every redirect: an allowed address that redirects to this host is refused', async () => {
    expect(await downloadHttp({ url: `http://${lan}:${port}/data.csv`, dest: dest(), maxBytes: 1000, timeoutMs: 5_000 }, 'private')).toMatchObject({ bytes: 4 });
    await expect(downloadHttp({ url: `http://${lan}:${port}/to-loopback`, dest: dest(), maxBytes: 1000, timeoutMs: 5_000 }, 'private')).rejects.toThrow(/refused: 127\.0\.0\.1/);
  });
});
