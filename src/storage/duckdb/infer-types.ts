// Infer the type of text columns in SQL: the first of integer, double, boolean, date, timestamp
// that every non-empty value of the column casts to; string otherwise (or when all are empty).
// The first rows suggest a candidate per column, which one pass over all rows then confirms
// (or rules out, trying the next type) — one test per value instead of five. An ingest may
// instead confirm the candidates in its own checking pass (see ingest-pipeline.ts).
import type { ColumnType } from '../../domain/datasets.js';
import { ident, type DuckSession } from './duckdb-session.js';
import { INFERENCE_ORDER, presentExpr, typedExpr } from './typed-sql.js';

const SAMPLE_ROWS = 10_000;

/** Per column, the index in INFERENCE_ORDER of the first type all present values of `from` fit (length = string). */
async function firstFits(session: DuckSession, from: string, columns: Array<{ name: string; start: number }>): Promise<number[]> {
  const selects: string[] = [];
  columns.forEach((c, i) => {
    const raw = ident(c.name);
    selects.push(`count(*) FILTER (WHERE ${presentExpr('double', raw)}) AS n${i}`);
    for (let j = c.start; j < INFERENCE_ORDER.length; j++) selects.push(`count(${typedExpr(INFERENCE_ORDER[j], raw)}) AS t${i}_${j}`);
  });
  const [row] = await session.rows<Record<string, string>>(`SELECT ${selects.join(', ')} FROM ${from}`);
  return columns.map((c, i) => {
    const present = Number(row[`n${i}`]);
    if (present === 0) return INFERENCE_ORDER.length;
    for (let j = c.start; j < INFERENCE_ORDER.length; j++) if (Number(row[`t${i}_${j}`]) === present) return j;
    return INFERENCE_ORDER.length;
  });
}

/** Count, per column, the present values that do not fit its candidate type. */
async function misfits(session: DuckSession, columns: Array<{ name: string; candidate: number }>): Promise<number[]> {
  const selects = columns.map((c, i) => {
    const raw = ident(c.name);
    return `count(*) FILTER (WHERE ${presentExpr('double', raw)} AND ${typedExpr(INFERENCE_ORDER[c.candidate], raw)} IS NULL) AS m${i}`;
  });
  const [row] = await session.rows<Record<string, string>>(`SELECT ${selects.join(', ')} FROM fw_records WHERE __fw_parse_rule IS NULL`);
  return columns.map((_, i) => Number(row[`m${i}`]));
}

/** Index in INFERENCE_ORDER of a type (INFERENCE_ORDER.length for string). */
export type Candidate = number;

/** The type a candidate index stands for. */
export function candidateType(candidate: Candidate): ColumnType {
  return candidate < INFERENCE_ORDER.length ? INFERENCE_ORDER[candidate] : 'string';
}

/** Per column, the first type all present values of the first rows fit: a candidate to confirm. */
export async function sampleCandidates(session: DuckSession, columns: string[]): Promise<Record<string, Candidate>> {
  if (columns.length === 0) return {};
  const sample = `(SELECT * FROM fw_records WHERE __fw_parse_rule IS NULL LIMIT ${SAMPLE_ROWS})`;
  const fits = await firstFits(session, sample, columns.map((name) => ({ name, start: 0 })));
  return Object.fromEntries(columns.map((c, i) => [c, fits[i]]));
}

/**
 * Confirm candidates over all rows, trying the next type for a column whose values do not all
 * fit, until every column settles (string fits anything).
 */
export async function settleTypes(session: DuckSession, start: Record<string, Candidate>): Promise<Record<string, ColumnType>> {
  const out: Record<string, ColumnType> = {};
  let open = Object.entries(start).map(([name, candidate]) => ({ name, candidate }));
  while (open.length > 0) {
    const settled = open.filter((c) => c.candidate >= INFERENCE_ORDER.length);
    for (const c of settled) out[c.name] = 'string';
    open = open.filter((c) => c.candidate < INFERENCE_ORDER.length);
    if (open.length === 0) break;
    const bad = await misfits(session, open);
    const next: typeof open = [];
    open.forEach((c, i) => {
      if (bad[i] === 0) out[c.name] = INFERENCE_ORDER[c.candidate];
      else next.push({ name: c.name, candidate: c.candidate + 1 });
    });
    open = next;
  }
  return out;
}

export async function inferTypes(session: DuckSession, columns: string[]): Promise<Record<string, ColumnType>> {
  const settled = await settleTypes(session, await sampleCandidates(session, columns));
  return Object.fromEntries(columns.map((c) => [c, settled[c]]));
}
