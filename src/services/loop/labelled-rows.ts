// Turn logged predictions that have ground-truth feedback into training rows (inputs + the true
// label + the event's date), and write rows as JSON Lines for a new dataset version.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ColumnBatch } from '../../domain/ports/data-engine.js';
import type { LoggedPrediction } from '../../domain/ports/prediction-log.js';

export type Row = Record<string, string | number | boolean | null>;

/** `2014-03-07` for an epoch-ms date. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function labelledRows(predictions: LoggedPrediction[], truth: Map<string, { label: string }>, target: string, timeColumn: string): Row[] {
  const rows: Row[] = [];
  for (const p of predictions) {
    const t = truth.get(p.id);
    if (!t) continue;
    rows.push({ [timeColumn]: isoDate(p.event_time), ...(p.inputs as Row), [target]: t.label });
  }
  return rows;
}

/** Rows of a column batch (dates and timestamps, which come back as epoch ms, as ISO dates). */
export function batchRows(batch: ColumnBatch): Row[] {
  const names = Object.keys(batch.columns);
  const rows: Row[] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    const row: Row = {};
    for (const n of names) {
      const col = batch.columns[n];
      const type = batch.types[n];
      const v = col instanceof Float64Array ? (Number.isNaN(col[i]) ? null : col[i]) : (col as Array<string | boolean | null>)[i];
      row[n] = v !== null && (type === 'date' || type === 'timestamp') ? (type === 'date' ? isoDate(v as number) : new Date(v as number).toISOString()) : v;
    }
    rows.push(row);
  }
  return rows;
}

/** Write `rows` (a list, or a stream of them produced page by page) as JSON Lines; the file is closed on failure too. */
export async function writeJsonl(file: string, rows: Iterable<Row> | AsyncIterable<Row>): Promise<void> {
  const out = createWriteStream(file);
  try {
    for await (const r of rows) {
      if (!out.write(JSON.stringify(r) + '\n')) await once(out, 'drain');
    }
  } catch (err) {
    out.destroy();
    throw err;
  }
  out.end();
  await once(out, 'finish');
}
