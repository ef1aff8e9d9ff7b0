// A dataset's versions as an SVG timeline, oldest to newest: one stacked bar per version (accepted
// rows green, quarantined red), a marker for where its rows came from (file, push, pull, readmit),
// an arc from its parent version, and its number and day below; each version links to its page.
import { useEffect, useId, useRef, useState } from 'react';
import type { DatasetVersionSummaryView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { countAxis, tickLabel } from './chart-scale.js';
import { diffHref } from './diff-page.js';
import './dataset-charts.css';

/** The newest versions the timeline draws. */
const TIMELINE_LIMIT = 100;
/** A version's slot: at least this wide (narrower boxes scroll), at most MAX_SLOT when there is room. */
const SLOT = 56;
const MAX_SLOT = 96;
const HEIGHT = 210;
const M = { top: 44, right: 12, bottom: 38, left: 48 };

/** How each source kind is drawn; kinds not listed get the last entry's look with their own name. */
const KINDS: Record<string, { letter: string; color: string; name: string }> = {
  file: { letter: 'F', color: '#2257d6', name: 'file upload' },
  push: { letter: 'P', color: '#0e9384', name: 'push (JSON rows)' },
  pull: { letter: 'S', color: '#7a5af8', name: 'scheduled pull' },
  readmit: { letter: 'R', color: '#dc6803', name: 're-admitted rows' },
};
const kindOf = (kind: string) => KINDS[kind] ?? { letter: kind.slice(0, 1).toUpperCase(), color: '#667085', name: kind };

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function describe(v: DatasetVersionSummaryView, parent: number | undefined): string {
  const from = parent !== undefined ? `, from v${parent}` : '';
  return (
    `v${v.version}: ${v.report.accepted.toLocaleString()} accepted, ${v.report.quarantined.toLocaleString()} quarantined, ` +
    `${kindOf(v.source.kind).name} ${v.source.name}${from}, ${formatTime(v.created_at)}`
  );
}

export function VersionsTimeline({ project, dataset, reloadKey }: { project: string; dataset: string; reloadKey?: unknown }) {
  const page = useAsync(() => client.listDatasetVersions({ params: { project, dataset }, query: { limit: TIMELINE_LIMIT } }), [project, dataset, reloadKey]);
  const wrap = useRef<HTMLDivElement>(null);
  const arrowId = `timeline-arrow-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const [boxWidth, setBoxWidth] = useState(0);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    // The newest versions are on the right: show them first.
    el.scrollLeft = el.scrollWidth;
    const observer = new ResizeObserver(() => setBoxWidth(el.clientWidth - 16));
    observer.observe(el);
    return () => observer.disconnect();
  }, [page.data]);

  if (page.error) return <ErrorBanner error={page.error} />;
  if (!page.data || page.data.items.length === 0) return null;
  const versions = [...page.data.items].sort((a, b) => a.version - b.version);
  const slotOf = new Map(versions.map((v, i) => [v.id, i]));
  const numberOf = new Map(versions.map((v) => [v.id, v.version]));
  const slot = Math.max(SLOT, Math.min(MAX_SLOT, (boxWidth - M.left - M.right) / versions.length));
  const width = Math.max(boxWidth, 320, M.left + M.right + versions.length * slot);
  const plotH = HEIGHT - M.top - M.bottom;
  const { top, ticks } = countAxis(Math.max(0, ...versions.map((v) => v.report.accepted + v.report.quarantined)));
  const yOf = (n: number) => M.top + plotH - (n / top) * plotH;
  const xOf = (i: number) => M.left + i * slot + slot / 2;
  const barW = Math.min(28, slot - 14);
  const kinds = [...new Set(versions.map((v) => v.source.kind as string))];

  return (
    <figure className="timeline-wrap" ref={wrap} data-testid="versions-timeline">
      <figcaption className="timeline-legend">
        <span>
          <i className="timeline-swatch" style={{ background: '#32a77e' }} /> accepted
        </span>
        <span>
          <i className="timeline-swatch" style={{ background: '#e0584a' }} /> quarantined
        </span>
        {kinds.map((k) => (
          <span key={k}>
            <b style={{ color: kindOf(k).color }}>{kindOf(k).letter}</b> {kindOf(k).name}
          </span>
        ))}
        <span>⌒ parent version</span>
        {page.data.next_cursor && <span>the newest {TIMELINE_LIMIT} versions</span>}
        {versions.length >= 2 && (
          <a href={diffHref(project, dataset)} className="timeline-compare">
            Compare the newest two
          </a>
        )}
      </figcaption>
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} className="chart timeline" role="group" aria-label={`Versions timeline of ${dataset}`}>
        <defs>
          <marker id={arrowId} viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M0,0 L6,3 L0,6 z" fill="#98a2b3" />
          </marker>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={width - M.right} y1={yOf(t)} y2={yOf(t)} className="chart-grid" />
            <text x={M.left - 6} y={yOf(t)} dy="0.32em" textAnchor="end">
              {tickLabel(t)}
            </text>
          </g>
        ))}
        {versions.map((v) => {
          const parentSlot = v.parent_version_id ? slotOf.get(v.parent_version_id) : undefined;
          if (parentSlot === undefined) return null;
          const x1 = xOf(parentSlot);
          const x2 = xOf(slotOf.get(v.id)!);
          const y = M.top - 20;
          const lift = Math.min(22, 8 + (Math.abs(x2 - x1) / slot) * 3);
          return (
            <path key={`link-${v.id}`} d={`M${x1 + 8},${y} Q${(x1 + x2) / 2},${y - lift} ${x2 - 8},${y}`} className="timeline-link" markerEnd={`url(#${arrowId})`}>
              <title>{`v${v.version} is built on v${numberOf.get(v.parent_version_id!)}`}</title>
            </path>
          );
        })}
        {versions.map((v, i) => {
          const x = xOf(i);
          const kind = kindOf(v.source.kind);
          const accepted = v.report.accepted;
          const quarantined = v.report.quarantined;
          const qH = quarantined > 0 ? Math.max(2, (quarantined / top) * plotH) : 0;
          const aTop = yOf(accepted);
          const showDay = i === 0 || day(versions[i - 1].created_at) !== day(v.created_at);
          const parent = v.parent_version_id ? numberOf.get(v.parent_version_id) : undefined;
          return (
            <a
              key={v.id}
              href={href('projects', project, 'datasets', dataset, String(v.version))}
              className="timeline-version"
              data-version={v.version}
              data-kind={v.source.kind}
              aria-label={describe(v, parent)}
            >
              <title>{describe(v, parent)}</title>
              <rect x={x - slot / 2} y={M.top - 30} width={slot} height={HEIGHT - M.top + 30} fill="transparent" />
              <rect x={x - barW / 2} y={aTop} width={barW} height={M.top + plotH - aTop} className="timeline-bar timeline-accepted" data-rows={accepted} />
              {qH > 0 && <rect x={x - barW / 2} y={aTop - qH} width={barW} height={qH} className="timeline-bar timeline-quarantined" data-rows={quarantined} />}
              <circle cx={x} cy={M.top - 20} r={7} fill={kind.color} />
              <text x={x} y={M.top - 20} dy="0.35em" textAnchor="middle" style={{ fill: '#fff', fontWeight: 700, fontSize: 9 }}>
                {kind.letter}
              </text>
              <text x={x} y={M.top + plotH + 14} textAnchor="middle" className="timeline-label">
                v{v.version}
              </text>
              {showDay && (
                <text x={x} y={M.top + plotH + 28} textAnchor="middle">
                  {i === 0 ? day(v.created_at) : day(v.created_at).slice(5)}
                </text>
              )}
            </a>
          );
        })}
        <line x1={M.left} x2={width - M.right} y1={M.top + plotH} y2={M.top + plotH} className="chart-axis" />
      </svg>
    </figure>
  );
}
