// A lifecycle section without an API yet: the usual list, always empty, explaining what comes.
import { PagedList, type Column } from '../paged-list.js';
import type { PlannedSection as Planned } from './planned-sections.js';

type Row = { id: string };

const emptyPage = async () => ({ items: [] as Row[], next_cursor: null });

export function PlannedSection({ project, section, id }: { project: string; section: Planned; id: string }) {
  const columns: Column<Row>[] = section.columns.map((header) => ({ header, cell: () => null }));
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{section.title}</h2>
      <p className="lead">{section.intro}</p>
      <PagedList
        testId={`${id}-list`}
        label={section.title}
        loader={emptyPage}
        columns={columns}
        rowKey={(r) => r.id}
        reloadKey={project}
        empty={section.empty(project)}
      />
    </section>
  );
}
