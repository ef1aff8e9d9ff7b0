// A small inline SVG histogram of a numeric column's profile (20 equal-width bins).
export function Histogram({ edges, counts, label }: { edges: number[]; counts: number[]; label: string }) {
  const width = 120;
  const height = 36;
  const max = Math.max(1, ...counts);
  const bar = width / counts.length;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Histogram of ${label}`} className="histogram">
      <title>{`${label}: ${edges[0]} to ${edges[edges.length - 1]}`}</title>
      {counts.map((c, i) => {
        const h = c === 0 ? 0 : Math.max(1, (c / max) * (height - 2));
        return (
          <rect key={i} x={i * bar + 0.5} y={height - h} width={Math.max(1, bar - 1)} height={h} className="histogram-bar">
            <title>{`${edges[i]} – ${edges[i + 1]}: ${c}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
