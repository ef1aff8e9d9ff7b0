// The "Edit source" form of the sources panel: schedule and time zone, the schedule switch,
// when staged rows become a version, the file format (HTTP) or the query (PostgreSQL). The URL or
// connection string is write-only: the form shows where the source reads from without
// credentials and offers to replace it, never to show it. Only changed fields are sent, and the
// server checks them (a bad value is shown under its field, in the server's words).
import { useState, type FormEvent } from 'react';
import type { SourceView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { Field } from '../../field.js';
import { FormActions } from '../../form-actions.js';
import { useAction } from '../../use-action.js';
import { SourceFormatField, type SourceFormat } from './source-format-field.js';

interface Changes {
  schedule?: string;
  timezone?: string;
  enabled?: boolean;
  format?: Exclude<SourceFormat, 'auto'> | null;
  query?: string;
  url?: string;
  connection_string?: string;
  commit?: { every_rows: number | null; cron: string | null };
}

export function SourceEditForm({ project, dataset, source, onSaved, onCancel }: { project: string; dataset: string; source: SourceView; onSaved: (changed: boolean) => void; onCancel: () => void }) {
  const http = source.kind === 'http';
  const secretLabel = http ? 'URL' : 'connection string';
  const [schedule, setSchedule] = useState(source.schedule);
  const [timezone, setTimezone] = useState(source.timezone);
  const [enabled, setEnabled] = useState(source.enabled);
  const [format, setFormat] = useState<SourceFormat>(source.format ?? 'auto');
  const [query, setQuery] = useState(source.query ?? '');
  const [everyRows, setEveryRows] = useState(source.commit_every_rows === null ? '' : String(source.commit_every_rows));
  const [commitCron, setCommitCron] = useState(source.commit_cron ?? '');
  const [replacing, setReplacing] = useState(false);
  const [secret, setSecret] = useState('');

  function changes(): Changes {
    const body: Changes = {};
    if (schedule !== source.schedule) body.schedule = schedule;
    if (timezone !== source.timezone) body.timezone = timezone;
    if (enabled !== source.enabled) body.enabled = enabled;
    const declared = format === 'auto' ? null : format;
    if (http && declared !== source.format) body.format = declared;
    if (!http && query !== (source.query ?? '')) body.query = query;
    if (replacing) body[http ? 'url' : 'connection_string'] = secret;
    // An empty box clears the setting; anything else goes to the server as typed (it names a bad value).
    const rows = everyRows.trim() === '' ? null : Number(everyRows.trim());
    const cron = commitCron.trim() === '' ? null : commitCron.trim();
    if (rows !== source.commit_every_rows || cron !== source.commit_cron) body.commit = { every_rows: rows, cron };
    return body;
  }

  const save = useAction(async () => {
    const body = changes();
    if (Object.keys(body).length === 0) return onSaved(false);
    await client.updateSource({ params: { project, dataset, source: source.name }, body });
    onSaved(true);
  });
  const fields = fieldErrors(save.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void save.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label={`Edit source ${source.name}`} noValidate>
      <h3>
        Edit source {source.name} <span className="muted">({http ? 'HTTP(S) file' : 'PostgreSQL query'})</span>
      </h3>
      <ErrorBanner error={save.error} />
      <div className="source-secret">
        <span className="muted">Reads from</span> <code data-testid="source-location">{source.location}</code>
        {!replacing ? (
          <button type="button" className="btn-small btn-secondary" onClick={() => setReplacing(true)}>
            Replace {secretLabel}
          </button>
        ) : (
          <button
            type="button"
            className="btn-small btn-secondary"
            onClick={() => {
              setReplacing(false);
              setSecret('');
            }}
          >
            Keep the current {secretLabel}
          </button>
        )}
      </div>
      {replacing && (
        <Field
          label={http ? 'New URL' : 'New connection string'}
          error={fields[http ? 'url' : 'connection_string']}
          hint={`The current ${secretLabel} is stored encrypted and never shown; the new one replaces it the same way.`}
        >
          <input type="password" autoComplete="new-password" spellCheck={false} value={secret} onChange={(e) => setSecret(e.target.value)} placeholder={http ? 'https://example.com/export.csv' : 'postgres://user:password@host:5432/database'} />
        </Field>
      )}
      {http ? (
        <SourceFormatField value={format} onChange={setFormat} error={fields.format} />
      ) : (
        <Field label="Query" error={fields.query} hint="one SELECT statement; it runs in a read-only transaction">
          <textarea rows={3} className="mono" value={query} onChange={(e) => setQuery(e.target.value)} />
        </Field>
      )}
      <div className="form-row">
        <Field label="Schedule (cron)" error={fields.schedule} hint="minute hour day month weekday, e.g. 0 6 * * *">
          <input className="mono" value={schedule} onChange={(e) => setSchedule(e.target.value)} />
        </Field>
        <Field label="Time zone" error={fields.timezone} hint="IANA name, e.g. Europe/Oslo">
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Pull on schedule
        </label>
      </div>
      <div className="form-row">
        <Field label="Commit every N rows (optional)" error={fields['commit.every_rows']} hint="empty: not by count">
          <input type="number" min={1} value={everyRows} onChange={(e) => setEveryRows(e.target.value)} />
        </Field>
        <Field label="Commit schedule (optional cron)" error={fields['commit.cron']} hint="empty: not on a schedule">
          <input className="mono" value={commitCron} onChange={(e) => setCommitCron(e.target.value)} />
        </Field>
      </div>
      <FormActions busy={save.busy} label="Save changes" busyLabel="Saving…" onCancel={onCancel} />
    </form>
  );
}
