// The "New project" form: name and description, with the server's field errors.
import { useState, type FormEvent } from 'react';
import type { ProjectView } from '../../../src/contracts/index.js';
import { NAME_RULE } from '../../../src/domain/names.js';
import { client } from '../api.js';
import { ErrorBanner } from '../error-banner.js';
import { fieldErrors } from '../errors.js';
import { Field } from '../field.js';
import { useAction } from '../use-action.js';
import { FormActions } from '../form-actions.js';

export function NewProjectForm({ onCreated, onCancel }: { onCreated: (p: ProjectView) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    const project = await client.createProject({ body: { name, description } });
    onCreated(project);
  });
  const fields = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    void create.run();
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New project">
      <h2>New project</h2>
      <ErrorBanner error={create.error} />
      <Field label="Name" error={fields.name} hint={`Used in URLs and the CLI; ${NAME_RULE}.`}>
        <input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Description" error={fields.description}>
        <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <FormActions busy={create.busy} label="Create project" busyLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}
