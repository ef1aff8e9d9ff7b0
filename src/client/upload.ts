// Upload progress for a streamed body: the chunks pass through one at a time (the file is never
// held in memory) and the bytes the transport has taken so far are reported after each one.

/** Called with the bytes the transport has consumed so far. */
export type UploadProgress = (sent: number) => void;

/**
 * The same chunks as `source`, reporting progress as the transport pulls them: a chunk counts as
 * sent once the transport asks for the next one (or the stream ends).
 * @example client.upload(api.ingestDataset, { …, body: withUploadProgress(createReadStream(file), (n) => bar.update(n)) })
 */
export async function* withUploadProgress(source: AsyncIterable<Uint8Array>, onProgress: UploadProgress): AsyncGenerator<Uint8Array, void, undefined> {
  let sent = 0;
  onProgress(0);
  for await (const chunk of source) {
    yield chunk;
    sent += chunk.byteLength;
    onProgress(sent);
  }
}
