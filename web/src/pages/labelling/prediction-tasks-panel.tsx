// "Tasks from predictions" on a classification job's page, for managers: a deployment's logged
// predictions in a time window, sampled, become tasks (their labels flow back as ground truth);
// the job's source deployment is chosen first, and each call says what it made and passed over.
import { useState, type FormEvent } from 'react';
import type { LabellingJobDetailView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { FormActions } from '../../form-actions.js';
import { useAction } from '../../use-action.js';
import { newPredictionWindow, predictionReportLine, predictionWindowBody, PredictionWindowFields, type PredictionWindow } from './prediction-window-fields.js';

export function PredictionTasksPanel({ project, job, onChanged }: { project: string; job: LabellingJobDetailView; onChanged: () => void }) {
  const [picked, setPicked] = useState<PredictionWindow>(() => newPredictionWindow(job.source.kind === 'predictions' ? job.source.deployment : ''));
  const [includeLabelled, setIncludeLabelled] = useState(false);
  const [note, setNote] = useState<string>();
  const add = useAction(async () => {
    const body = { ...predictionWindowBody(picked), ...(includeLabelled ? { include_labelled: true } : {}) };
    const r = await client.addTasksFromPredictions({ params: { project, job: job.name }, body });
    setNote(predictionReportLine(r));
    onChanged();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNote(undefined);
    void add.run();
  };
  return (
    <section className="card" aria-labelledby="prediction-tasks-title" data-testid="prediction-tasks-panel">
      <h3 id="prediction-tasks-title">Tasks from predictions</h3>
      <p className="muted small">A deployment&apos;s logged predictions become tasks: the inputs to label, the served label as the suggestion; resolved labels become their ground truth.</p>
      {note && (
        <div className="banner banner-ok" role="status" data-testid="prediction-tasks-report">
          {note}
        </div>
      )}
      <form className="form" onSubmit={submit} aria-label="Tasks from predictions">
        <ErrorBanner error={add.error} />
        <PredictionWindowFields project={project} value={picked} onChange={setPicked} errors={fieldErrors(add.error)} />
        <label className="checkbox">
          <input type="checkbox" name="include-labelled" checked={includeLabelled} onChange={(e) => setIncludeLabelled(e.target.checked)} /> Also predictions that already have ground truth
        </label>
        <FormActions busy={add.busy} label="Make tasks" busyLabel="Making tasks…" />
      </form>
    </section>
  );
}
