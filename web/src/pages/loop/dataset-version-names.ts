// Dataset version ids → "dataset vN" for display and links. Runs and monitors carry only the
// version id, so this reads the project's datasets and their versions once per page.
import { client } from '../../api.js';
import { useAsync } from '../../use-async.js';

export interface DatasetVersionRef {
  dataset: string;
  version: number;
}

async function versionIndex(project: string): Promise<Map<string, DatasetVersionRef>> {
  const index = new Map<string, DatasetVersionRef>();
  const datasets = await client.listDatasets({ params: { project }, query: { limit: 1000 } });
  await Promise.all(
    datasets.items.map(async (d) => {
      const versions = await client.listDatasetVersions({ params: { project, dataset: d.name }, query: { limit: 1000 } });
      for (const v of versions.items) index.set(v.id, { dataset: d.name, version: v.version });
    }),
  );
  return index;
}

/** The index of the project's dataset versions (empty while loading or when not readable). */
export function useDatasetVersionNames(project: string): Map<string, DatasetVersionRef> {
  const state = useAsync(() => versionIndex(project).catch(() => new Map<string, DatasetVersionRef>()), [project]);
  return state.data ?? EMPTY;
}

const EMPTY = new Map<string, DatasetVersionRef>();
