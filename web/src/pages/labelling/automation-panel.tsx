// A job's automation, for managers: the model whose predictions are suggestions (shown to
// annotators or hidden to avoid anchoring), auto-labelling (threshold, spot-check share, seed)
// and the lease time; computing pre-labels and sampling by uncertainty (background jobs whose
// progress is shown); and writing the resolved tasks as a labelled dataset version.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { JobView, LabellingJobDetailView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { Field } from '../../field.js';
import { FormActions } from '../../form-actions.js';
import { useAction } from '../../use-action.js';
import { percent } from './format-share.js';
import './workbench.css';

type Followed = { label: string; job: JobView };

/** A summary of a finished background job's result. */
function resultLine(f: Followed): string {
  const r = f.job.result as Record<string, unknown> | null;
  if (f.job.status === 'failed') return `${f.label} failed: ${f.job.last_error ?? 'no error recorded'}`;
  if (f.job.status !== 'succeeded' || !r) return `${f.label}: ${f.job.status} ${Math.round(f.job.progress * 100)}%${f.job.progress_message ? ` — ${f.job.progress_message}` : ''}`;
  if ('suggested' in r) return `${f.label}: ${r.suggested} suggestions, ${r.auto_labelled} auto-labelled, ${r.spot_checks} spot checks, ${r.skipped} could not be scored.`;
  return `${f.label}: ${r.picked} tasks ${r.mode === 'create' ? 'created' : 'moved to the front'} from ${r.scored} scored.`;
}

/** `champion` or `v3` as the API's model reference. */
function modelRef(model: string, which: string): { model: string; version?: number; alias?: string } | null {
  if (model.trim() === '') return null;
  const m = /^v(\d+)$/i.exec(which.trim());
  return m ? { model: model.trim(), version: Number(m[1]) } : { model: model.trim(), alias: which.trim() || 'champion' };
}

export function AutomationPanel({ project, job, onChanged }: { project: string; job: LabellingJobDetailView; onChanged: () => void }) {
  const [model, setModel] = useState(job.model?.model ?? '');
  const [which, setWhich] = useState(job.model ? (job.model.version !== null ? `v${job.model.version}` : (job.model.alias ?? 'champion')) : 'champion');
  const [show, setShow] = useState(job.show_suggestions);
  const [threshold, setThreshold] = useState(job.auto_label ? String(job.auto_label.threshold) : '');
  const [share, setShare] = useState(job.auto_label ? String(job.auto_label.spot_check_share) : '0.1');
  const [seed, setSeed] = useState(job.auto_label ? String(job.auto_label.seed) : '42');
  const [lease, setLease] = useState(String(job.lease_seconds));
  const [strategy, setStrategy] = useState<'least-confidence' | 'margin' | 'entropy'>('entropy');
  const [k, setK] = useState('100');
  const [mode, setMode] = useState<'create' | 'reprioritise'>('create');
  const [dataset, setDataset] = useState('');
  const [version, setVersion] = useState('');
  const [outDataset, setOutDataset] = useState(`${job.name}-labelled`);
  const [followed, setFollowed] = useState<Followed>();
  const [note, setNote] = useState<string>();
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const follow = async (label: string, queued: JobView) => {
    setFollowed({ label, job: queued });
    for (let i = 0; i < 1200 && alive.current; i++) {
      await new Promise((r) => setTimeout(r, 400));
      const now = await client.getJob({ params: { project, job: queued.id } });
      if (!alive.current) return;
      setFollowed({ label, job: now });
      if (now.status !== 'queued' && now.status !== 'running') break;
    }
    onChanged();
  };

  const save = useAction(async () => {
    const auto = threshold.trim() === '' ? null : { threshold: Number(threshold), spot_check_share: Number(share), seed: Number(seed) };
    await client.updateLabellingSettings({
      params: { project, job: job.name },
      body: { model: modelRef(model, which), show_suggestions: show, auto_label: auto, lease_seconds: Number(lease) },
    });
    setNote('Settings saved.');
    onChanged();
  });
  const prelabel = useAction(async () => follow('Pre-labels', await client.startLabellingPrelabel({ params: { project, job: job.name } })));
  const sample = useAction(async () => {
    const body = { strategy, k: Number(k), mode, ...(mode === 'create' ? { dataset, ...(version ? { version: Number(version) } : {}) } : {}) };
    await follow('Active learning', await client.startLabellingActiveLearning({ params: { project, job: job.name }, body }));
  });
  const output = useAction(async () => {
    const r = await client.writeLabelledOutput({ params: { project, job: job.name }, body: { dataset: outDataset } });
    setNote(`Wrote ${r.dataset} v${r.version}: ${r.rows} rows (human consensus ${r.by_method['human-consensus']}, review ${r.by_method.review}, model ${r.by_method.model}).`);
  });
  const fields = fieldErrors(save.error);
  const sampleFields = fieldErrors(sample.error);
  const a = job.stats.automation;
  const submit = (fn: () => Promise<boolean>) => (e: FormEvent) => {
    e.preventDefault();
    setNote(undefined);
    void fn();
  };

  return (
    <section className="card" aria-labelledby="automation-title" data-testid="automation-panel">
      <h3 id="automation-title">Automation</h3>
      <p className="muted small">
        {job.model ? (
          <>
            Suggestions from <strong>{job.model.model}</strong> {job.model.version !== null ? `v${job.model.version}` : `(${job.model.alias})`}, {job.show_suggestions ? 'shown to' : 'hidden from'} annotators.{' '}
            {job.auto_label ? `Auto-labels at confidence ≥ ${job.auto_label.threshold}, ${percent(job.auto_label.spot_check_share)} spot-checked.` : 'No auto-labelling.'}
          </>
        ) : (
          'No model: name one to get suggestions and auto-labels.'
        )}{' '}
        Auto-label accuracy on spot checks: <strong data-testid="auto-label-accuracy">{percent(a.auto_label_accuracy)}</strong> ({a.spot_checks_agreeing}/{a.spot_checks_resolved}).
      </p>
      {note && (
        <div className="banner banner-ok" role="status">
          {note}
        </div>
      )}
      {followed && (
        <div className="banner" role="status" data-testid="automation-job">
          {resultLine(followed)}
        </div>
      )}
      <form className="form" onSubmit={submit(save.run)} aria-label="Automation settings">
        <ErrorBanner error={save.error} />
        <div className="automation-grid">
          <Field label="Model" error={fields['model.model'] ?? fields.model} hint="A registered model; leave empty for none.">
            <input name="model" value={model} onChange={(e) => setModel(e.target.value)} />
          </Field>
          <Field label="Alias or version" error={fields['model.alias'] ?? fields['model.version']} hint="An alias it follows (champion), or a fixed version like v2.">
            <input name="model-which" value={which} onChange={(e) => setWhich(e.target.value)} />
          </Field>
          <label className="checkbox">
            <input type="checkbox" name="show-suggestions" checked={show} onChange={(e) => setShow(e.target.checked)} /> Show suggestions to annotators
          </label>
          <Field label="Auto-label threshold" error={fields['auto_label.threshold'] ?? fields.auto_label} hint="Confidence (0–1) at which the model labels a task; empty: off.">
            <input name="auto-label-threshold" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          </Field>
          <Field label="Spot-check share" error={fields['auto_label.spot_check_share']} hint="Share (0–1) of auto-labelled tasks still sent to people.">
            <input name="spot-check-share" inputMode="decimal" value={share} onChange={(e) => setShare(e.target.value)} />
          </Field>
          <Field label="Spot-check seed" error={fields['auto_label.seed']}>
            <input name="seed" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
          </Field>
          <Field label="Lease (seconds)" error={fields.lease_seconds} hint="How long a task handed out stays with its annotator.">
            <input name="lease-seconds" inputMode="numeric" value={lease} onChange={(e) => setLease(e.target.value)} />
          </Field>
        </div>
        <FormActions busy={save.busy} label="Save settings" busyLabel="Saving…" />
      </form>
      <div className="form-actions">
        <button type="button" disabled={prelabel.busy || !job.model} onClick={() => void prelabel.run()}>
          {prelabel.busy ? 'Computing…' : 'Compute suggestions'}
        </button>
      </div>
      <ErrorBanner error={prelabel.error} />
      <form className="form" onSubmit={submit(sample.run)} aria-label="Active learning">
        <h4>Sample by uncertainty</h4>
        <ErrorBanner error={sample.error} />
        <div className="automation-grid">
          <Field label="Strategy" error={sampleFields.strategy}>
            <select name="strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as typeof strategy)}>
              <option value="entropy">entropy</option>
              <option value="margin">margin</option>
              <option value="least-confidence">least confidence</option>
            </select>
          </Field>
          <Field label="How many" error={sampleFields.k}>
            <input name="k" inputMode="numeric" value={k} onChange={(e) => setK(e.target.value)} />
          </Field>
          <Field label="Mode" error={sampleFields.mode}>
            <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
              <option value="create">new tasks from a dataset version</option>
              <option value="reprioritise">move this job’s open tasks to the front</option>
            </select>
          </Field>
          {mode === 'create' && (
            <>
              <Field label="Dataset" error={sampleFields.dataset}>
                <input name="dataset" value={dataset} onChange={(e) => setDataset(e.target.value)} />
              </Field>
              <Field label="Version" error={sampleFields.version} hint="Empty: the latest.">
                <input name="version" inputMode="numeric" value={version} onChange={(e) => setVersion(e.target.value)} />
              </Field>
            </>
          )}
        </div>
        <FormActions busy={sample.busy} label="Sample" busyLabel="Sampling…" />
      </form>
      <form className="form" onSubmit={submit(output.run)} aria-label="Labelled output">
        <h4>Labelled dataset</h4>
        <ErrorBanner error={output.error} />
        <Field label="Output dataset" error={fieldErrors(output.error).dataset} hint="Resolved tasks become its next version, each row with how its label was decided.">
          <input name="output-dataset" value={outDataset} onChange={(e) => setOutDataset(e.target.value)} />
        </Field>
        <FormActions busy={output.busy} label="Write labelled version" busyLabel="Writing…" />
      </form>
    </section>
  );
}
