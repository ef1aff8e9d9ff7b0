// A version's profile, one card per column: a histogram (numeric and date columns) or a bar chart
// of the most frequent values (categorical, boolean, string columns), text length statistics when
// the profile has them, and a compact table of count, nulls, distinct, min, max, mean, std beside
// the quantiles 1/5/25/50/75/95/99.
import type { DatasetVersionView } from '../../../../src/contracts/index.js';
import { CategoryBars, MAX_CATEGORY_BARS } from './category-bars.js';
import { Histogram } from './histogram.js';
import { stat } from './numbers.js';
import './dataset-charts.css';

type Profile = DatasetVersionView['profile'][number];

const QUANTILE_NAMES = ['p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99'];

function StatsTable({ p }: { p: Profile }) {
  const stats: Array<[string, string]> = [
    ['Count', stat(p.count)],
    ['Nulls', stat(p.nulls)],
    ['Distinct', stat(p.distinct)],
    ['Min', stat(p.min)],
    ['Max', stat(p.max)],
    ['Mean', stat(p.mean)],
    ['Std', stat(p.std)],
  ];
  const quantiles = p.quantiles ?? [];
  return (
    <table className="stats-table" aria-label={`Statistics of ${p.name}`}>
      <tbody>
        {stats.map(([name, value], i) => {
          const q = quantiles[i];
          return (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="num">{value}</td>
              {quantiles.length > 0 && (
                <>
                  <th scope="row">{q ? `p${Math.round(q.q * 100)}` : QUANTILE_NAMES[i]}</th>
                  {/* Estimated quantiles (large versions, see ColumnProfile.approximate) are marked ≈. */}
                  <td className="num">{q ? (p.approximate ? '≈ ' : '') + stat(q.value) : '—'}</td>
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Chart({ p }: { p: Profile }) {
  if (p.histogram && p.histogram.counts.length > 0)
    return <Histogram edges={p.histogram.edges} counts={p.histogram.counts} label={p.name} dates={p.type === 'date' || p.type === 'timestamp'} />;
  if (p.top && p.top.length > 0)
    return (
      <>
        <CategoryBars top={p.top} label={p.name} nonNull={p.count - p.nulls} />
        {(p.top.length > MAX_CATEGORY_BARS || p.distinct > p.top.length) && (
          <p className="chart-note">
            The {Math.min(MAX_CATEGORY_BARS, p.top.length)} most frequent of {p.distinct.toLocaleString()} distinct values.
          </p>
        )}
      </>
    );
  return <p className="chart-note">{p.count === p.nulls ? 'Every value is null.' : 'No distribution is profiled for this type.'}</p>;
}

export function ColumnProfile({ p, nullable }: { p: Profile; nullable: boolean | undefined }) {
  const length = p.text_length;
  const id = `column-${p.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <article className="column-card" aria-labelledby={id} data-column={p.name}>
      <header className="column-card-head">
        <h4 id={id}>
          <code>{p.name}</code>
        </h4>
        <span className="muted small">
          {p.type} · {p.semantic}
          {nullable === false && ' · not null'}
          {p.unique && ' · unique'}
        </span>
      </header>
      <Chart p={p} />
      {length && (
        <p className="small text-length" data-testid="text-length">
          Text length: min {stat(length.min)}, mean {stat(length.mean)}, max {stat(length.max)}
        </p>
      )}
      <StatsTable p={p} />
    </article>
  );
}

/** Every column of a version, in schema order. */
export function ColumnProfiles({ v }: { v: DatasetVersionView }) {
  const nullable = new Map(v.schema.map((c) => [c.name, c.nullable]));
  if (v.profile.length === 0) return <p className="muted">This version has no profiled columns.</p>;
  return (
    <div className="profile-grid" data-testid="profile">
      {v.profile.map((p) => (
        <ColumnProfile key={p.name} p={p} nullable={nullable.get(p.name)} />
      ))}
    </div>
  );
}
