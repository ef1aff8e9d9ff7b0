// Whether the signed-in user may change datasets in a project (dataset.write): pages that only get
// the project's name ask the server once, and show edit controls only when it says yes.
import { client } from '../../api.js';
import { useAsync } from '../../use-async.js';

export function useCanWriteDatasets(project: string): boolean {
  const p = useAsync(() => client.getProject({ params: { project } }), [project]);
  return p.data?.my_actions.includes('dataset.write') ?? false;
}
