// A model version's gate report in a table cell: the verdict, then each check on its own line
// ("accuracy 0.565 ≥ 0.500", "accuracy 0.810 vs champion 0.800 (+0.020 on champion)", "accuracy
// gap 0.300 ≤ 0.100 by station"), failed checks in red with their sentence underneath (every
// sentence on hover), what the models were compared on; the summary when there are no checks.
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
            {!c.passed && c.message && <span className="gate-why">{prettyOps(c.message)}</span>}
          </span>
        ))
      ) : gate.summary ? (
        <span className="gate-check">{prettyOps(gate.summary)}</span>
      ) : null}
      {gate.basis?.note && <span className="gate-check gate-why">{gate.basis.note}</span>}
    </span>
  );
}
