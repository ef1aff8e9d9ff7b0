// Ingest a file from the browser as the next version: the file is streamed as the raw body (with
// a progress bar of the bytes sent), with optional JSON rules; the report (read, accepted,
// quarantined per rule) is shown after.
import { useState, type FormEvent } from 'react';
import { api, type DatasetVersionView } from '../../../../src/contracts/index.js';
import type { DataFormat, TextEncoding } from '../../../../src/domain/datasets.js';
import { createClient } from '../../../../src/client/index.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { Field } from '../../field.js';
import { href } from '../../router.js';
import { useAction } from '../../use-action.js';
import { progressTransport } from './progress-transport.js';
import { UploadProgress, type UploadState } from './upload-progress.js';

const TYPES: Record<DataFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson', parquet: 'application/vnd.apache.parquet' };

function guessFormat(name: string): DataFormat {
  if (/\.(jsonl|ndjson)$/i.test(name)) return 'jsonl';
  if (/\.parquet$/i.test(name)) return 'parquet';
  return 'csv';
}

export function IngestForm({ project, dataset, onIngested }: { project: string; dataset: string; onIngested: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<DataFormat>('csv');
  const [encoding, setEncoding] = useState<TextEncoding>('utf-8');
  const [rules, setRules] = useState('');
  const [done, setDone] = useState<DatasetVersionView>();
  const [upload, setUpload] = useState<UploadState>();
  const ingest = useAction(async () => {
    if (!file) return;
    setDone(undefined);
    setUpload({ sent: 0, total: file.size, finished: false });
    const uploader = createClient(progressTransport((sent, total) => setUpload({ sent, total, finished: false })));
    try {
      const version = await uploader.upload(api.ingestDataset, {
        params: { project, dataset },
        query: { format, name: file.name, rules: rules.trim() || undefined, encoding: format === 'parquet' || encoding === 'utf-8' ? undefined : encoding },
        body: file,
        contentType: TYPES[format],
      });
      setDone(version);
      onIngested();
    } finally {
      setUpload((u) => u && { ...u, finished: true });
    }
  });
  const fields = fieldErrors(ingest.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void ingest.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="Ingest a file">
      <h3>Ingest a file</h3>
      <ErrorBanner error={ingest.error} />
      {upload && <UploadProgress state={upload} />}
      {done && (
        <div className="banner banner-ok" role="status">
          <span className="banner-text">
            <a href={href('projects', project, 'datasets', dataset, String(done.version))}>Version {done.version}</a>: read{' '}
            {done.report.rows_read.toLocaleString()}, accepted {done.report.accepted.toLocaleString()}, quarantined{' '}
            {done.report.quarantined.toLocaleString()}
            {Object.keys(done.report.by_rule).length > 0 && ` (${Object.entries(done.report.by_rule).map(([r, n]) => `${r}: ${n}`).join(', ')})`}
          </span>
        </div>
      )}
      <div className="form-row">
        <Field label="File" error={fields.file}>
          <input
            type="file"
            accept=".csv,.jsonl,.ndjson,.parquet"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f) setFormat(guessFormat(f.name));
            }}
          />
        </Field>
        <Field label="Format" error={fields.format}>
          <select value={format} onChange={(e) => setFormat(e.target.value as DataFormat)}>
            <option value="csv">CSV</option>
            <option value="jsonl">JSON Lines</option>
            <option value="parquet">Parquet</option>
          </select>
        </Field>
        <Field label="Encoding" error={fields.encoding}>
          <select value={encoding} onChange={(e) => setEncoding(e.target.value as TextEncoding)} disabled={format === 'parquet'}>
            <option value="utf-8">UTF-8</option>
            <option value="latin-1">Latin-1 (converted)</option>
          </select>
        </Field>
      </div>
      <Field
        label="Rules (JSON or YAML, optional)"
        error={Object.entries(fields).find(([k]) => k.startsWith('rules'))?.[1]}
        hint='e.g. {"columns": {"wind": {"type": "double", "range": {"min": 0}}}}, or the same as YAML'
      >
        <textarea rows={3} value={rules} onChange={(e) => setRules(e.target.value)} className="mono" />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn-primary" disabled={!file || ingest.busy}>
          {ingest.busy ? 'Ingesting…' : 'Ingest'}
        </button>
      </div>
    </form>
  );
}
