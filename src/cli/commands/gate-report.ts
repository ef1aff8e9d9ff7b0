// A KPI gate report as the CLI prints it: the verdict, then one line per check (PASS/FAIL, the
// sentence), then what the models were compared on.
import type { GateReportView } from '../../contracts/index.js';

export function gateReportText(title: string, gate: GateReportView): string {
  const lines = [`${title}: ${gate.passed ? 'PASSED' : 'FAILED'}`];
  if (gate.checks.length === 0) lines.push(`  ${gate.summary}`);
  for (const c of gate.checks) {
    const sentence = c.message ?? `${c.metric} ${c.value ?? 'n/a'} ${c.op} ${c.threshold}`;
    lines.push(`  ${c.passed ? 'PASS' : 'FAIL'}  ${sentence}`);
  }
  if (gate.basis?.note) lines.push(`  basis: ${gate.basis.note}`);
  return lines.join('\n');
}
