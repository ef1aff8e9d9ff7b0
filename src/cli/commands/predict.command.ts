// flywheel predict DEPLOYMENT --file rows.json | --row '{"temp_max": 12}' — call a deployment.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { emit, table } from '../io.js';
import { jsonFlag, withClient, type CommandEnv } from '../context.js';

type Body = { rows?: unknown[]; columns?: string[]; data?: unknown[]; event_times?: unknown[] };

/** A file holds an array of rows, or a request body ({rows} or {columns, data}, with event_times). */
function bodyOf(o: { file?: string; row?: string[] }): Body {
  if (o.file && o.row?.length) throw new ValidationError('give --file or --row, not both', { field: '--row' });
  const parse = (text: string, where: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ValidationError(`${where} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { field: where });
    }
  };
  if (o.row?.length) return { rows: o.row.map((r, i) => parse(r, `--row #${i + 1}`)) };
  if (!o.file) throw new ValidationError('give the rows: --file rows.json or --row \'{"feature": value}\'', { field: '--file' });
  let text: string;
  try {
    text = readFileSync(o.file, 'utf8');
  } catch (err) {
    throw new ValidationError(`cannot read --file ${o.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { field: '--file' });
  }
  const value = parse(text, '--file');
  if (Array.isArray(value)) return { rows: value };
  if (value && typeof value === 'object') return value as Body;
  throw new ValidationError('--file must hold an array of rows or an object with "rows" (or "columns" and "data")', { field: '--file' });
}

export function predictCommand({ io }: CommandEnv): Command {
  return jsonFlag(
    new Command('predict')
      .description("predict with a deployment: rows in, labels and class probabilities out (a regression model's predicted values; each prediction is logged)")
      .argument('<deployment>')
      .option('--file <path>', 'JSON: an array of rows, or {"rows": [...]} / {"columns": [...], "data": [...]} with optional "event_times"')
      .option('--row <json>', 'one row as a JSON object (repeatable)', (v: string, acc: string[] = []) => [...acc, v]),
  ).action(async (deployment, o) => {
    const body = bodyOf(o);
    const res = await withClient(io, (c) => c.predict({ params: { deployment }, body }));
    emit(io, o.json, res, () => {
      const head = `${res.deployment}: ${res.model} v${res.model_version}`;
      const first = res.predictions[0];
      if (first && 'value' in first) {
        // A regression model: one predicted value per row.
        const rows = res.predictions.map((p) => ({ id: p.id, value: 'value' in p && p.value !== null ? String(p.value) : '-' }));
        return `${head}\n${table(rows, ['id', 'value'])}`;
      }
      const labelled = res.predictions.filter((p): p is Extract<typeof p, { label: string }> => 'label' in p);
      const classes = Object.keys(labelled[0]?.probabilities ?? {});
      const rows = labelled.map((p) => ({ id: p.id, label: p.label, ...Object.fromEntries(classes.map((c) => [c, p.probabilities[c].toFixed(4)])) }));
      return `${head}\n${table(rows, ['id', 'label', ...classes])}`;
    });
  });
}
