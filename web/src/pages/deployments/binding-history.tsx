// A deployment's binding history, newest first: what it was bound to after each change (created,
// updated, rolled back, or an alias it follows moved), the versions that served, who and why.
import type { DeploymentBindingView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';

type Target = { alias: string | null; version: number | null };
const target = (t: Target) => (t.alias ? `@${t.alias}` : `v${t.version}`);

function binding(b: DeploymentBindingView): string {
  const parts = [`${target(b)}${b.serving_version ? ` → v${b.serving_version}` : ''}`];
  if (b.canary) parts.push(`canary ${target(b.canary)}${b.canary_version ? ` → v${b.canary_version}` : ''} ${b.canary.percent}%`);
  if (b.shadow) parts.push(`shadow ${target(b.shadow)}${b.shadow_version ? ` → v${b.shadow_version}` : ''}`);
  return parts.join(' · ');
}

export function BindingHistory({ project, deployment, reloadKey }: { project: string; deployment: string; reloadKey: unknown }) {
  const columns: Column<DeploymentBindingView>[] = [
    { header: 'When', cell: (b) => formatTime(b.at), className: 'nowrap' },
    { header: 'Change', cell: (b) => <span className="label-chip">{b.change}</span> },
    { header: 'Binding', cell: (b) => binding(b) },
    { header: 'Who', cell: (b) => b.who_name },
    { header: 'Reason', cell: (b) => b.reason || <span className="muted">—</span> },
  ];
  return (
    <PagedList
      testId="binding-history"
      label="Binding history"
      loader={(cursor) => client.listDeploymentHistory({ params: { project, deployment }, query: { cursor: cursor ?? undefined } })}
      columns={columns}
      rowKey={(b) => b.id}
      reloadKey={reloadKey}
      empty={<>No binding recorded yet.</>}
    />
  );
}
