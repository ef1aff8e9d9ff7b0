// The "New dataset" form: a name and a description.
import { useState, type FormEvent } from 'react';
import { NAME_RULE } from '../../../../src/domain/names.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { fieldErrors } from '../../errors.js';
import { Field } from '../../field.js';
import { useAction } from '../../use-action.js';
import { FormActions } from '../../form-actions.js';

export function NewDatasetForm({ project, onCreated, onCancel }: { project: string; onCreated: () => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    await client.createDataset({ params: { project }, body: { name, description } });
    onCreated();
  });
  const fields = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void create.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New dataset">
      <h3>New dataset</h3>
      <ErrorBanner error={create.error} />
      <Field label="Dataset name" error={fields.name} hint={NAME_RULE}>
        <input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Description" error={fields.description}>
        <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <FormActions busy={create.busy} label="Create dataset" busyLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}
