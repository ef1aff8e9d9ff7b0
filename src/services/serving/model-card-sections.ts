// A model card's content as neutral sections (paragraphs, tables, lists) built from the facts;
// the Markdown and HTML renderers only format these, so both show the same card.
import { metricDirection } from '../../domain/metric-direction.js';
import { CARD_FIELD_NAMES, CARD_FIELD_TITLES, type ModelCardFacts } from '../../domain/model-card.js';
import { modelTask } from '../../domain/serving.js';

export type CardBlock =
  | { kind: 'text'; text: string }
  /** Free text people wrote (kept as written; Markdown shows it verbatim, HTML escapes it). */
  | { kind: 'prose'; text: string }
  | { kind: 'missing'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'list'; items: string[] };

export interface CardSection {
  title: string;
  blocks: CardBlock[];
}

export interface CardDocument {
  title: string;
  subtitle: string;
  sections: CardSection[];
}

export const NOT_FILLED = 'Not filled in yet.';

const iso = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const num = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toFixed(6))));
const kv = (o: Record<string, string | number>): string[][] =>
  Object.entries(o)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, typeof v === 'number' ? num(v) : v]);

function fieldSections(f: ModelCardFacts): CardSection[] {
  return CARD_FIELD_NAMES.map((name) => {
    const text = f.fields[name].trim();
    return { title: CARD_FIELD_TITLES[name], blocks: [text ? { kind: 'prose', text } : { kind: 'missing', text: NOT_FILLED }] };
  });
}

function lineageSection(f: ModelCardFacts): CardSection {
  const blocks: CardBlock[] = [];
  if (f.run) {
    blocks.push({
      kind: 'table',
      head: ['Run', 'Value'],
      rows: [
        ['run id', f.run.id],
        ['run name', f.run.name],
        ['code version', f.run.code_version ?? '-'],
        ['seed', f.run.seed === null ? '-' : String(f.run.seed)],
        ['started', iso(f.run.created_at)],
      ],
    });
    const params = kv(f.run.params);
    blocks.push(params.length ? { kind: 'table', head: ['Parameter', 'Value'], rows: params } : { kind: 'text', text: 'The run logged no parameters.' });
  } else if (f.run_id) {
    blocks.push({ kind: 'text', text: `Run ${f.run_id} (not found in this project's tracking: no code version, seed or parameters to show).` });
  } else {
    blocks.push({ kind: 'missing', text: 'No training run is recorded for this version.' });
  }
  if (f.datasets.length > 0) {
    blocks.push({
      kind: 'table',
      head: ['Dataset', 'Version', 'Rows accepted', 'Rows quarantined', 'Source', 'Created', 'Role'],
      rows: f.datasets.map((d, i) => [
        d.dataset?.name ?? d.version.id,
        `v${d.version.version}`,
        String(d.version.report.accepted),
        String(d.version.report.quarantined),
        `${d.version.source.kind}: ${d.version.source.name}`,
        iso(d.version.created_at),
        i === 0 ? 'trained on' : `parent ${i}`,
      ]),
    });
  } else if (f.dataset_version_id) {
    blocks.push({ kind: 'text', text: `Dataset version ${f.dataset_version_id} (not found in this project's datasets).` });
  } else {
    blocks.push({ kind: 'missing', text: 'No dataset version is recorded for this version.' });
  }
  return { title: 'Lineage', blocks };
}

/** What each headline metric measures, and which way is better. */
const METRIC_NOTES: Record<string, string> = {
  accuracy: 'share of rows whose class is right',
  macro_f1: 'F1 averaged over the classes',
  rmse: 'root mean squared error, in the target’s units',
  mae: 'mean absolute error, in the target’s units',
  r2: 'coefficient of determination (1 is perfect, 0 is the mean’s)',
  mape: 'mean absolute percentage error, as a fraction',
};

function metricsSection(f: ModelCardFacts): CardSection {
  const rows = kv(f.version.metrics);
  if (!rows.length) return { title: 'Metrics', blocks: [{ kind: 'missing', text: 'No metrics were recorded with this version.' }] };
  const blocks: CardBlock[] = [{ kind: 'table', head: ['Metric', 'Value'], rows }];
  const explained = rows
    .map(([k]) => k)
    .filter((k) => METRIC_NOTES[k])
    .map((k) => `${k}: ${METRIC_NOTES[k]}; ${metricDirection(k) === 'lower' ? 'lower' : 'higher'} is better.`);
  if (explained.length) blocks.push({ kind: 'list', items: explained });
  return { title: 'Metrics', blocks };
}

interface GateCheck {
  metric: string;
  op: string;
  threshold: number;
  value: number | null;
  passed: boolean;
}
interface GateSlice {
  slice: string | null;
  n: number;
  value: number | null;
}

function gateSection(f: ModelCardFacts): CardSection {
  const gate = f.version.gate as (Record<string, unknown> & { passed: boolean; summary?: string }) | null;
  if (!gate) return { title: 'KPI gate', blocks: [{ kind: 'missing', text: 'No gate report was recorded with this version.' }] };
  const blocks: CardBlock[] = [{ kind: 'text', text: `Result: ${gate.passed ? 'passed' : 'failed'}${gate.summary ? ` — ${gate.summary}` : ''}` }];
  const checks = Array.isArray(gate.checks) ? (gate.checks as GateCheck[]) : [];
  if (checks.length) {
    blocks.push({
      kind: 'table',
      head: ['Metric', 'Rule', 'Value', 'Result'],
      rows: checks.map((c) => [String(c.metric), `${c.op} ${num(Number(c.threshold))}`, c.value === null ? '-' : num(Number(c.value)), c.passed ? 'passed' : 'failed']),
    });
  }
  const sentences = checks.map((c) => (c as { message?: unknown }).message).filter((m): m is string => typeof m === 'string');
  if (sentences.length) blocks.push({ kind: 'list', items: sentences });
  const basis = (gate as { basis?: { note?: unknown } }).basis;
  if (basis && typeof basis.note === 'string' && basis.note) blocks.push({ kind: 'text', text: `Basis: ${basis.note}` });
  const slices = Array.isArray(gate.slices) ? (gate.slices as GateSlice[]) : [];
  if (slices.length) {
    blocks.push({
      kind: 'table',
      head: ['Slice', 'Rows', 'Value'],
      rows: slices.map((s) => [s.slice ?? '(missing)', String(s.n), s.value === null || typeof s.value !== 'number' ? '-' : num(s.value)]),
    });
  }
  const other = Object.entries(gate).filter(([k]) => !['passed', 'summary', 'checks', 'slices', 'basis', 'format'].includes(k));
  if (other.length) blocks.push({ kind: 'list', items: other.map(([k, v]) => `${k}: ${JSON.stringify(v)}`) });
  return { title: 'KPI gate', blocks };
}

function aliasSection(f: ModelCardFacts): CardSection {
  const blocks: CardBlock[] = [{ kind: 'text', text: f.aliases.length ? `Aliases now: ${f.aliases.join(', ')}` : 'No alias points at this version now.' }];
  if (f.alias_history.length) {
    blocks.push({
      kind: 'table',
      head: ['When', 'Alias', 'Move', 'Who', 'Why'],
      rows: f.alias_history.map((c) => [iso(c.at), c.alias, `${c.previous_version === null ? 'new' : `v${c.previous_version}`} → v${c.version}`, c.who_name, c.reason || '-']),
    });
  }
  return { title: 'Aliases and their history', blocks };
}

function decisionSection(f: ModelCardFacts): CardSection {
  if (!f.decisions.length) return { title: 'Retraining decisions', blocks: [{ kind: 'text', text: 'No retraining decision involved this version.' }] };
  return {
    title: 'Retraining decisions',
    blocks: [
      {
        kind: 'table',
        head: ['When', 'Champion', 'Challenger', 'Decision', 'Reason'],
        rows: f.decisions.map((d) => [
          iso(d.created_at),
          `v${d.champion.version}`,
          d.challenger.version === null ? `run ${d.challenger.run_id}` : `v${d.challenger.version}`,
          d.decision === 'promoted' ? 'promoted' : 'kept champion',
          d.reason,
        ]),
      },
    ],
  };
}

/** The card of one version, as sections in the order they are shown. */
export function cardDocument(f: ModelCardFacts): CardDocument {
  const v = f.version;
  const overview: CardSection = {
    title: 'Model',
    blocks: [
      {
        kind: 'table',
        head: ['Field', 'Value'],
        rows: [
          ['model', f.model.name],
          ['version', `v${v.version}`],
          ['registered', iso(v.created_at)],
          ['artifact (ONNX, sha256)', v.artifact_sha256],
          ['features', v.features.map((x) => `${x.name} (${x.kind})`).join(', ') || '-'],
          modelTask(v) === 'regression' ? ['task', "regression: predicts a number (output 'prediction')"] : ['task', 'classification'],
          ['classes', v.classes.join(', ') || '-'],
        ],
      },
    ],
  };
  return {
    title: `Model card: ${f.model.name} v${v.version}`,
    subtitle: `Generated ${iso(f.generated_at)}${f.fields.updated_at ? `; fields last edited ${iso(f.fields.updated_at)}` : ''}`,
    sections: [overview, ...fieldSections(f).slice(0, 1), lineageSection(f), metricsSection(f), gateSection(f), ...fieldSections(f).slice(1), aliasSection(f), decisionSection(f)],
  };
}
