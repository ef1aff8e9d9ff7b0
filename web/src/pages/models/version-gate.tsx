// A model version's gate report in a table cell: the verdict, then each check on its own line
// ("accuracy 0.565 ≥ 0.500", "accuracy 0.81 +0.020 on champion", "accuracy gap 0.30 gap ≤ 0.100 by
// station"), its sentence on hover, failed checks in red; the summary when the report has no checks.
import type { ModelVersionView } from '../../../../src/contracts/index.js';
import { checksOf, GateBadge, ruleText } from '../experiments/gate-report.js';
import { fmt3, metricName, prettyOps } from '../loop/metric-format.js';
import './retraining-decisions.css';

export function VersionGate({ gate }: { gate: NonNullable<ModelVersionView['gate']> }) {
  const checks = checksOf(gate);
  return (
    <span className="version-gate">
      <GateBadge passed={gate.passed} title={gate.summary} />
      {checks?.length ? (
        checks.map((c) => (
          <span key={`${c.kind ?? 'threshold'}${c.metric}${c.op}${c.column ?? ''}`} className={c.passed ? 'gate-check' : 'gate-check error-text'} title={c.message ? prettyOps(c.message) : undefined}>
            {c.kind === 'max_slice_gap' ? (
              <>
                {metricName(c.metric)} gap {fmt3(c.value)} {prettyOps(c.op)} {fmt3(c.threshold)} by {c.column}
              </>
            ) : c.kind === 'min_improvement' ? (
              <>
                {metricName(c.metric)} {fmt3(c.value)} vs champion {fmt3(c.champion_value ?? null)} ({ruleText(c)})
              </>
            ) : (
              <>
                {metricName(c.metric)} {fmt3(c.value)} {prettyOps(c.op)} {fmt3(c.threshold)}
              </>
            )}
          </span>
        ))
      ) : gate.summary ? (
        <span className="gate-check">{prettyOps(gate.summary)}</span>
      ) : null}
    </span>
  );
}
