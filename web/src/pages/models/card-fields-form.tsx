// The hand-written fields of a model's card (intended use, limitations, ethical considerations,
// owners): loaded, edited and saved together; the card reloads after a save.
import { useEffect, useState, type FormEvent } from 'react';
import type { ModelCardFieldsView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { Field } from '../../field.js';
import { useAction } from '../../use-action.js';
import { useAsync } from '../../use-async.js';

type Values = Pick<ModelCardFieldsView, 'intended_use' | 'limitations' | 'ethical_considerations' | 'owners'>;
const LABELS: Array<[keyof Values, string, string]> = [
  ['intended_use', 'Intended use', 'What the model is for, and for whom'],
  ['limitations', 'Limitations', 'Where it is known to be wrong or untested'],
  ['ethical_considerations', 'Ethical considerations', 'Risks, affected groups, mitigations'],
  ['owners', 'Owners and contact', 'Who answers for the model and how to reach them'],
];
const EMPTY: Values = { intended_use: '', limitations: '', ethical_considerations: '', owners: '' };

export function CardFieldsForm({ project, model, onSaved }: { project: string; model: string; onSaved: () => void }) {
  const loaded = useAsync(() => client.getModelCardFields({ params: { project, model } }), [project, model]);
  const [values, setValues] = useState<Values>(EMPTY);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setValues({ intended_use: loaded.data.intended_use, limitations: loaded.data.limitations, ethical_considerations: loaded.data.ethical_considerations, owners: loaded.data.owners });
  }, [loaded.data]);
  const save = useAction(async () => {
    await client.putModelCardFields({ params: { project, model }, body: values });
    setSaved(true);
    onSaved();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <form onSubmit={submit} aria-label="Card fields">
      <ErrorBanner error={loaded.error ?? save.error} onDismiss={save.clear} />
      {LABELS.map(([key, label, hint]) => (
        <Field key={key} label={label} hint={hint}>
          <textarea
            rows={3}
            maxLength={20000}
            value={values[key]}
            onChange={(e) => {
              setSaved(false);
              setValues({ ...values, [key]: e.target.value });
            }}
          />
        </Field>
      ))}
      <button type="submit" disabled={save.busy || loaded.loading}>
        Save card fields
      </button>
      {saved ? <span className="muted"> Saved.</span> : null}
    </form>
  );
}
