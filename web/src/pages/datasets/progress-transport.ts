// A transport over XMLHttpRequest for uploads from the browser, which reports the bytes sent as the
// browser streams the file from disk (fetch cannot report upload progress). Otherwise it behaves
// as the UI's fetch transport: same origin, the session cookie, the CSRF header on mutations, and
// the signed-out event on a 401.
import type { Transport } from '../../../../src/client/index.js';
import { AppError } from '../../../../src/domain/errors.js';
import { readCookie, SIGNED_OUT_EVENT } from '../../api.js';

/** Called as bytes go out: `sent` of `total`. */
export type SendProgress = (sent: number, total: number) => void;

export function progressTransport(onProgress: SendProgress): Transport {
  return {
    send(req) {
      return new Promise((resolve, reject) => {
        const body = req.body;
        if (body !== undefined && typeof body !== 'string' && !(body instanceof Blob) && !(body instanceof Uint8Array)) {
          reject(new AppError('invalid_input', 'the browser uploads a File, a Blob or bytes, not a stream'));
          return;
        }
        const size = body === undefined ? 0 : typeof body === 'string' ? new Blob([body]).size : body instanceof Blob ? body.size : body.byteLength;
        const xhr = new XMLHttpRequest();
        xhr.open(req.method, req.url);
        for (const [name, value] of Object.entries(req.headers)) xhr.setRequestHeader(name, value);
        const csrf = readCookie('fw_csrf');
        if (csrf && req.method !== 'GET') xhr.setRequestHeader('x-csrf-token', csrf);
        xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : size);
        xhr.upload.onload = () => onProgress(size, size);
        xhr.onload = () => {
          if (xhr.status === 401 && !req.url.startsWith('/api/v1/auth/')) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
          resolve({ status: xhr.status, body: xhr.responseText });
        };
        xhr.onerror = () => reject(new AppError('network_error', 'the upload failed: the server could not be reached or closed the connection'));
        xhr.onabort = () => reject(new AppError('aborted', 'the upload was cancelled'));
        onProgress(0, size);
        xhr.send(body as XMLHttpRequestBodyInit | undefined);
      });
    },
  };
}
