// What a run ran on: the git commit (with a badge when the checkout had uncommitted changes),
// Node version, host and the data version's content hash (the seed and code version are among
// the run's facts above).
import type { RunDetailsView } from '../../../../src/contracts/index.js';
import { Badge } from '../../badge.js';

export function RunContextFacts({ context }: { context: RunDetailsView['context'] }) {
  const short = (s: string | null, n = 12) => (s ? <code title={s}>{s.length > n ? s.slice(0, n) : s}</code> : <span className="muted">—</span>);
  return (
    <dl className="facts" data-testid="run-context" aria-label="Run context">
      <div>
        <dt>Git commit</dt>
        <dd>
          {short(context.git_commit)} {context.git_dirty === true && <Badge value="uncommitted changes" tone="warn" />}
          {context.git_dirty === false && <Badge value="clean" tone="good" />}
        </dd>
      </div>
      <div>
        <dt>Node</dt>
        <dd className="mono">{context.node_version ?? '—'}</dd>
      </div>
      <div>
        <dt>Host</dt>
        <dd className="mono">{context.host ?? '—'}</dd>
      </div>
      <div>
        <dt>Data version hash</dt>
        <dd>{short(context.data_version_hash, 16)}</dd>
      </div>
    </dl>
  );
}
