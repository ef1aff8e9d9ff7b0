// The Labelling section of a project: the job list, one job's page, or the labelling
// workbench, chosen by the route (#/projects/P/labelling[/JOB[/work]]).
import type { ProjectView } from '../../../../src/contracts/index.js';
import { useRoute } from '../../router.js';
import { JobList } from './job-list.js';
import { JobPage } from './job-page.js';
import { Workbench } from './workbench.js';

export function LabellingSection({ project }: { project: ProjectView }) {
  const [, , , job, view] = useRoute();
  if (job && view === 'work') return <Workbench key={job} project={project} job={job} />;
  if (job) return <JobPage key={job} project={project} job={job} />;
  return <JobList project={project} />;
}
