// The "New labelling job" form: name, task type, labels, overlap, and optional items as JSON Lines
// (for text spans and image boxes, the data field holding the text or the image URL); for
// classification, a registry model whose suggestions annotators see (or not), and tasks from a
// deployment's logged predictions instead of items (a deployment, a time window, a sample size).
import { useState, type FormEvent } from 'react';
import { NAME_RULE } from '../../../../src/domain/names.js';
import { ValidationError } from '../../../../src/domain/errors.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { Field } from '../../field.js';
import { useAction } from '../../use-action.js';
import { FormActions } from '../../form-actions.js';
import { LABELLING_KINDS, type LabellingKind } from '../../../../src/domain/annotation.js';
import { newPredictionWindow, predictionReportLine, predictionWindowBody, PredictionWindowFields } from './prediction-window-fields.js';

const KIND_LABELS: Record<LabellingKind, string> = {
  classification: 'Classification (one label)',
  'multi-label': 'Multi-label (any labels)',
  'text-spans': 'Text spans (named entities)',
  'image-boxes': 'Image boxes',
};

/** JSON Lines (or a JSON array) of items; a line that is not JSON fails the form. */
function parseItems(text: string): unknown[] | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  try {
    if (t.startsWith('[')) return JSON.parse(t) as unknown[];
    return t
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  } catch {
    throw new ValidationError('items must be JSON Lines: one {"data": {...}} object per line', { field: 'body.items' });
  }
}

interface Props {
  project: string;
  /** `note` says what a job made from predictions got (or why it got no tasks). */
  onCreated: (job: string, accepted: number, rejected: number, note?: string) => void;
  onCancel: () => void;
}

export function NewJobForm({ project, onCreated, onCancel }: Props) {
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [overlap, setOverlap] = useState('3');
  const [items, setItems] = useState('');
  const [kind, setKind] = useState<LabellingKind>('classification');
  const [dataField, setDataField] = useState('');
  const [model, setModel] = useState('');
  const [hideSuggestions, setHideSuggestions] = useState(false);
  const [tasksFrom, setTasksFrom] = useState<'items' | 'predictions'>('items');
  const [predictions, setPredictions] = useState(newPredictionWindow);
  const fromPredictions = kind === 'classification' && tasksFrom === 'predictions';
  const regions = kind === 'text-spans' || kind === 'image-boxes';
  const create = useAction(async () => {
    const list = labels
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const config =
      regions && dataField.trim() !== ''
        ? { type: kind === 'text-spans' ? ('labels' as const) : ('rectanglelabels' as const), labels: list, to_name: dataField.trim(), field: dataField.trim() }
        : list;
    const automation = model.trim() === '' ? {} : { model: { model: model.trim() }, show_suggestions: !hideSuggestions };
    if (fromPredictions) {
      // The window is checked before the job exists; the job names the deployment as its source.
      const picked = predictionWindowBody(predictions);
      const source = { kind: 'predictions' as const, deployment: picked.deployment, from: picked.from ?? null, to: picked.to ?? null };
      const r = await client.createLabellingJob({ params: { project }, body: { name, kind, labels: config, overlap: Number(overlap), source, ...automation } });
      const made = await client.addTasksFromPredictions({ params: { project, job: r.job.name }, body: picked }).then(
        (report) => ({ created: report.created, note: predictionReportLine(report) }),
        (err: unknown) => ({ created: 0, note: `No tasks were made from predictions: ${err instanceof Error ? err.message : String(err)}. Try again from the job's page.` }),
      );
      onCreated(r.job.name, made.created, 0, made.note);
      return;
    }
    const r = await client.createLabellingJob({ params: { project }, body: { name, kind, labels: config, overlap: Number(overlap), items: parseItems(items), ...automation } });
    onCreated(r.job.name, r.tasks.accepted, r.tasks.rejected);
  });
  const fields = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void create.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New labelling job">
      <h3>New labelling job</h3>
      <ErrorBanner error={create.error} />
      <Field label="Job name" error={fields.name} hint={NAME_RULE}>
        <input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Task type" error={fields.kind}>
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as LabellingKind)}>
          {LABELLING_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      {regions && (
        <Field label={kind === 'text-spans' ? 'Text field' : 'Image URL field'} error={fields['labels.field']} hint={`The data field of each item; default "${kind === 'text-spans' ? 'text' : 'image'}".`}>
          <input name="field" value={dataField} placeholder={kind === 'text-spans' ? 'text' : 'image'} onChange={(e) => setDataField(e.target.value)} />
        </Field>
      )}
      <Field label="Labels" error={fields.labels} hint="Comma-separated, in the order of the shortcut keys 1–9, e.g. rain, sun, fog.">
        <input name="labels" required value={labels} onChange={(e) => setLabels(e.target.value)} />
      </Field>
      <Field label="People per task" error={fields.overlap}>
        <input name="overlap" type="number" min={1} max={50} required value={overlap} onChange={(e) => setOverlap(e.target.value)} />
      </Field>
      {kind === 'classification' && (
        <>
          <Field label="Suggestions from model" error={fields['model.model'] ?? fields['model.alias'] ?? fields.model} hint="Optional: a registered model (its champion) whose predictions annotators see as suggestions.">
            <input name="model" value={model} onChange={(e) => setModel(e.target.value)} />
          </Field>
          {model.trim() !== '' && (
            <label className="checkbox">
              <input type="checkbox" name="hide-suggestions" checked={hideSuggestions} onChange={(e) => setHideSuggestions(e.target.checked)} /> Hide suggestions from annotators (avoids anchoring)
            </label>
          )}
        </>
      )}
      {kind === 'classification' && (
        <Field label="Tasks from" error={fields.source}>
          <select name="tasks-from" value={tasksFrom} onChange={(e) => setTasksFrom(e.target.value as 'items' | 'predictions')}>
            <option value="items">items given here</option>
            <option value="predictions">a deployment&apos;s logged predictions</option>
          </select>
        </Field>
      )}
      {fromPredictions ? (
        <PredictionWindowFields project={project} value={predictions} onChange={setPredictions} errors={fields} />
      ) : (
        <Field label="Items (JSON Lines)" error={fields.items} hint='Optional: one {"data": {...}, "prediction_id": "..."} per line.'>
          <textarea name="items" rows={5} value={items} onChange={(e) => setItems(e.target.value)} />
        </Field>
      )}
      <FormActions busy={create.busy} label="Create job" busyLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}
