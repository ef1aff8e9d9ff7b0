// The fields that pick logged predictions to label: a deployment of the project, an event-time
// window (UTC, either end open) and a sample size — a seeded random sample of the window, or its
// earliest predictions. Used by the new-job form and the job page's "Tasks from predictions".
import { ValidationError } from '../../../../src/domain/errors.js';
import { client } from '../../api.js';
import { Field } from '../../field.js';
import { useAsync } from '../../use-async.js';

export interface PredictionWindow {
  deployment: string;
  /** `YYYY-MM-DDTHH:MM` (a datetime-local value, read as UTC) or empty. */
  from: string;
  to: string;
  size: string;
  random: boolean;
  seed: string;
}

export const newPredictionWindow = (deployment = ''): PredictionWindow => ({ deployment, from: '', to: '', size: '100', random: true, seed: '42' });

/** A datetime-local value as UTC epoch ms (empty: an open end). */
function utcMs(value: string, field: string): number | undefined {
  if (value.trim() === '') return undefined;
  const ms = Date.parse(`${value.trim()}Z`);
  if (Number.isNaN(ms)) throw new ValidationError(`${field} is not a date and time`, { field: `body.${field}` });
  return ms;
}

function wholeNumber(value: string, field: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new ValidationError(`${field} must be a whole number of at least ${min}`, { field: `body.${field}` });
  return n;
}

/** The body of "tasks from predictions" for the window; a field that does not parse throws naming it. */
export function predictionWindowBody(w: PredictionWindow): { deployment: string; from?: number; to?: number; limit: number; seed?: number } {
  if (w.deployment.trim() === '') throw new ValidationError('choose a deployment', { field: 'body.deployment' });
  const from = utcMs(w.from, 'from');
  const to = utcMs(w.to, 'to');
  return {
    deployment: w.deployment.trim(),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    limit: wholeNumber(w.size, 'limit', 1),
    ...(w.random ? { seed: wholeNumber(w.seed, 'seed', 0) } : {}),
  };
}

interface Props {
  project: string;
  value: PredictionWindow;
  onChange: (w: PredictionWindow) => void;
  /** Messages per body field (deployment, from, to, limit, seed). */
  errors: Record<string, string>;
}

export function PredictionWindowFields({ project, value, onChange, errors }: Props) {
  const deployments = useAsync(() => client.listDeployments({ params: { project }, query: { limit: 1000 } }), [project]);
  const names = deployments.data?.items.map((d) => d.name) ?? [];
  const set = (patch: Partial<PredictionWindow>) => onChange({ ...value, ...patch });
  return (
    <div className="automation-grid" data-testid="prediction-window">
      <Field label="Deployment" error={errors.deployment} hint={names.length === 0 && !deployments.loading ? 'No deployments listed: type its name.' : undefined}>
        {names.length > 0 ? (
          <select name="deployment" value={value.deployment} onChange={(e) => set({ deployment: e.target.value })}>
            <option value="">— choose —</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        ) : (
          <input name="deployment" value={value.deployment} onChange={(e) => set({ deployment: e.target.value })} />
        )}
      </Field>
      <Field label="Predicted from (UTC)" error={errors.from} hint="Event time, inclusive; empty: from the first.">
        <input name="from" type="datetime-local" value={value.from} onChange={(e) => set({ from: e.target.value })} />
      </Field>
      <Field label="Predicted until (UTC)" error={errors.to} hint="Exclusive; empty: up to now.">
        <input name="to" type="datetime-local" value={value.to} onChange={(e) => set({ to: e.target.value })} />
      </Field>
      <Field label="Sample size" error={errors.limit} hint="At most this many tasks (up to 10,000 per call).">
        <input name="sample-size" inputMode="numeric" value={value.size} onChange={(e) => set({ size: e.target.value })} />
      </Field>
      <label className="checkbox">
        <input type="checkbox" name="random-sample" checked={value.random} onChange={(e) => set({ random: e.target.checked })} /> Random sample (otherwise the earliest)
      </label>
      {value.random && (
        <Field label="Sample seed" error={errors.seed} hint="The same seed draws the same sample.">
          <input name="sample-seed" inputMode="numeric" value={value.seed} onChange={(e) => set({ seed: e.target.value })} />
        </Field>
      )}
    </div>
  );
}

/** One line about what a "tasks from predictions" call did. */
export function predictionReportLine(r: { deployment: string; read: number; created: number; already_tasks: number; already_labelled: number; shadow_or_bad: number; more: boolean }): string {
  const passed = [
    r.already_tasks > 0 ? `${r.already_tasks} already tasks` : '',
    r.already_labelled > 0 ? `${r.already_labelled} already labelled` : '',
    r.shadow_or_bad > 0 ? `${r.shadow_or_bad} shadow or unusable` : '',
  ].filter((s) => s !== '');
  return `Made ${r.created} task${r.created === 1 ? '' : 's'} from ${r.read} logged prediction${r.read === 1 ? '' : 's'} of ${r.deployment}${passed.length ? ` (${passed.join(', ')})` : ''}${r.more ? '; more are left in the window' : ''}.`;
}
