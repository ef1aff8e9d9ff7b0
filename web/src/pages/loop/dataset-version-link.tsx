// A dataset version shown as "seattle-weather v2", linked to its page; the short id until known.
import { href } from '../../router.js';
import type { DatasetVersionRef } from './dataset-version-names.js';

export function DatasetVersionLink({ project, id, names }: { project: string; id: string | null; names: Map<string, DatasetVersionRef> }) {
  if (!id) return <span className="muted">—</span>;
  const ref = names.get(id);
  if (!ref)
    return (
      <code className="small" title={id}>
        {id.slice(0, 8)}
      </code>
    );
  return (
    <a href={href('projects', project, 'datasets', ref.dataset, String(ref.version))} title={id} className="nowrap">
      {ref.dataset} v{ref.version}
    </a>
  );
}
