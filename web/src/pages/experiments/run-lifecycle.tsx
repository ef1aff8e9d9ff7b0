// Delete a run (it leaves the active lists) or restore a deleted one; for those who may write.
import { client } from '../../api.js';
import { ConfirmButton } from '../../confirm-button.js';
import { ErrorBanner } from '../../error-banner.js';
import { useAction } from '../../use-action.js';

export function RunLifecycle({ project, run, stage, onChange }: { project: string; run: string; stage: 'active' | 'deleted'; onChange: () => void }) {
  const remove = useAction(async () => {
    await client.deleteTrackedRun({ params: { project, run } });
    onChange();
  });
  const restore = useAction(async () => {
    await client.restoreTrackedRun({ params: { project, run } });
    onChange();
  });
  return (
    <span className="run-lifecycle">
      {stage === 'active' ? (
        <ConfirmButton label="Delete run" disabled={remove.busy} onConfirm={() => void remove.run()} />
      ) : (
        <button type="button" className="btn-small" disabled={restore.busy} onClick={() => void restore.run()}>
          Restore run
        </button>
      )}
      <ErrorBanner error={remove.error ?? restore.error} />
    </span>
  );
}
