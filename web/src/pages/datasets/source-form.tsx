// The "Add a source" form of a dataset: an HTTP(S) file or a PostgreSQL query, its cron schedule
// and time zone, and when staged rows become a version. The URL and the connection string are
// sent once and never shown again (the server keeps them encrypted).
import { useState, type FormEvent } from 'react';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { Field } from '../../field.js';
import { FormActions } from '../../form-actions.js';
import { useAction } from '../../use-action.js';
import { SourceFormatField, type SourceFormat } from './source-format-field.js';

type Kind = 'http' | 'postgres';

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function SourceForm({ project, dataset, onCreated, onCancel }: { project: string; dataset: string; onCreated: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('http');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<SourceFormat>('auto');
  const [connection, setConnection] = useState('');
  const [query, setQuery] = useState('');
  const [schedule, setSchedule] = useState('0 * * * *');
  const [timezone, setTimezone] = useState(browserZone);
  const [everyRows, setEveryRows] = useState('');
  const [commitCron, setCommitCron] = useState('');
  const create = useAction(async () => {
    const rows = everyRows.trim() === '' ? null : Number(everyRows);
    const cron = commitCron.trim() === '' ? null : commitCron.trim();
    await client.createSource({
      params: { project, dataset },
      body: {
        name: name.trim(),
        kind,
        schedule,
        timezone,
        ...(kind === 'http' ? { url: url.trim(), format: format === 'auto' ? null : format } : { connection_string: connection, query }),
        ...(rows !== null || cron !== null ? { commit: { every_rows: rows, cron } } : {}),
      },
    });
    onCreated(name.trim());
  });
  const fields = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void create.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="Add a source">
      <h3>Add a source</h3>
      <ErrorBanner error={create.error} />
      <div className="form-row">
        <Field label="Source name" error={fields.name}>
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="daily-export" />
        </Field>
        <Field label="Kind" error={fields.kind}>
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="http">HTTP(S) file</option>
            <option value="postgres">PostgreSQL query</option>
          </select>
        </Field>
      </div>
      {kind === 'http' ? (
        <div className="form-row">
          <Field label="URL" error={fields.url} hint="http:// or https:// of a CSV, JSON Lines or Parquet file; stored encrypted">
            <input required type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/export.csv" />
          </Field>
          <SourceFormatField value={format} onChange={setFormat} error={fields.format} />
        </div>
      ) : (
        <>
          <Field label="Connection string" error={fields.connection_string} hint="postgres://user:password@host:5432/database — stored encrypted, never shown again">
            <input required type="password" autoComplete="off" value={connection} onChange={(e) => setConnection(e.target.value)} />
          </Field>
          <Field label="Query" error={fields.query} hint="one SELECT statement; it runs in a read-only transaction">
            <textarea required rows={3} className="mono" value={query} onChange={(e) => setQuery(e.target.value)} />
          </Field>
        </>
      )}
      <div className="form-row">
        <Field label="Schedule (cron)" error={fields.schedule} hint="minute hour day month weekday, e.g. 0 6 * * *">
          <input required className="mono" value={schedule} onChange={(e) => setSchedule(e.target.value)} />
        </Field>
        <Field label="Time zone" error={fields.timezone} hint="IANA name, e.g. Europe/Oslo">
          <input required value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Commit every N rows (optional)" error={fields['commit.every_rows']}>
          <input type="number" min={1} value={everyRows} onChange={(e) => setEveryRows(e.target.value)} />
        </Field>
        <Field label="Commit schedule (optional cron)" error={fields['commit.cron']}>
          <input className="mono" value={commitCron} onChange={(e) => setCommitCron(e.target.value)} />
        </Field>
      </div>
      <FormActions busy={create.busy} label="Add source" busyLabel="Adding…" onCancel={onCancel} />
    </form>
  );
}
