import { describe, expect, it } from 'vitest';
import type { ReadmitEdit } from '../../domain/dataset-curation.js';
import type { QuarantineRow } from '../../domain/datasets.js';
import { AppError } from '../../domain/errors.js';
import { checkEdits, mergedValues, readmitJsonl, unknownLines } from './readmit-rows.js';

const COLUMNS = ['date', 'temp_max', 'weather'];
const row = (line: number, values: Record<string, string | null>): QuarantineRow => ({ line, rule: 'temp_max.type', reason: 'bad', values, raw: null });

function fieldOf(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.details?.field : error;
  }
  return undefined;
}

describe('re-admit rows', () => {
  it('names the field of a bad edit', () => {
    expect(fieldOf(() => checkEdits([], COLUMNS))).toBe('body.rows');
    expect(fieldOf(() => checkEdits([{ line: 2, values: {} }, { line: 2, values: {} }], COLUMNS))).toBe('body.rows.1.line');
    expect(fieldOf(() => checkEdits([{ line: 2, values: { tmep: '1' } }], COLUMNS))).toBe('body.rows.0.values.tmep');
    expect(fieldOf(() => checkEdits([{ line: 0, values: {} }], COLUMNS))).toBe('body.rows.0.line');
    expect(fieldOf(() => checkEdits([{ line: 3, values: { temp_max: '1' } }], COLUMNS))).toBeUndefined();
  });

  it('lays the edit over the quarantined text and keeps every column', () => {
    const q = row(5, { date: '2012-01-01', temp_max: 'warm', weather: 'sun' });
    expect(mergedValues(COLUMNS, q, { line: 5, values: { temp_max: '12.5' } })).toEqual({ date: '2012-01-01', temp_max: '12.5', weather: 'sun' });
    expect(mergedValues(COLUMNS, q, { line: 5, values: { weather: null } })).toEqual({ date: '2012-01-01', temp_max: 'warm', weather: null });
    // A parse error keeps no values: the edit gives them, the rest are null.
    expect(mergedValues(COLUMNS, { ...q, values: {} }, { line: 5, values: { date: '2012-01-02' } })).toEqual({ date: '2012-01-02', temp_max: null, weather: null });
  });

  it('writes one JSON line per edit, in request order, and finds lines not in the quarantine', () => {
    const found = new Map([[5, row(5, { date: 'a', temp_max: 'b', weather: 'c' })]]);
    const edits: ReadmitEdit[] = [
      { line: 5, values: { temp_max: '1' } },
      { line: 9, values: {} },
    ];
    expect(readmitJsonl(COLUMNS, edits, found).trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { date: 'a', temp_max: '1', weather: 'c' },
      { date: null, temp_max: null, weather: null },
    ]);
    expect(unknownLines(edits, found)).toEqual([1]);
  });
});
