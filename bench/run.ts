// `npm run bench -- NAME`: run one benchmark beside its baseline, print a table, write
// bench/results/NAME.json. Benchmarks live in bench/NAME.bench.ts and export `run()`.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface BenchRow {
  case: string;
  /** What the figure is, e.g. 'requests/s' or 'ms p99'. */
  unit: string;
  flywheel: number;
  baseline: number;
  baselineName: string;
  /** flywheel ÷ baseline for throughput, baseline ÷ flywheel for latency: above 1 is better. */
  ratio: number;
}

export interface BenchResult {
  name: string;
  machine: { cpus: number; node: string };
  rows: BenchRow[];
  notes: string[];
}

const here = dirname(fileURLToPath(import.meta.url));

async function main() {
  const name = process.argv[2];
  const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- NAME   (one of: ${available.join(', ')})`);
    process.exit(2);
  }
  const mod = (await import(join(here, `${name}.bench.ts`))) as { run: () => Promise<BenchResult> };
  const result = await mod.run();
  console.log(`\n${result.name}  (${result.machine.cpus} CPUs, node ${result.machine.node})`);
  console.table(
    result.rows.map((r) => ({
      case: r.case,
      unit: r.unit,
      flywheel: Number(r.flywheel.toFixed(2)),
      [`baseline`]: `${Number(r.baseline.toFixed(2))} (${r.baselineName})`,
      ratio: Number(r.ratio.toFixed(3)),
    })),
  );
  for (const n of result.notes) console.log(`- ${n}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${name}.json`), JSON.stringify(result, null, 2));
}

await main();
