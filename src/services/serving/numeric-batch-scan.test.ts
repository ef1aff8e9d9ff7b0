// The numeric batch scan reads exactly what JSON.parse reads, number for number, and declines
// (undefined) every body it does not fully understand, so the general path can name the problem.
import { describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../../domain/seeded-random.js';
import { scanNumericBatch as scanBytes, type NumericBatch } from './numeric-batch-scan.js';

/** The scan of `text`, with the doubles it reads (to compare with JSON.parse's). */
const scanNumericBatch = (text: string) => scanBytes(new TextEncoder().encode(text), 'float64');
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
/** Each row's text as the scan bounds it. */
const rowTexts = (got: NumericBatch<Float32Array | Float64Array>) => Array.from({ length: got.rows }, (_, i) => decode(got.data.subarray(got.bounds[2 * i], got.bounds[2 * i + 1])));

/** Number texts of every JSON form: integers, decimals, exponents, long mantissas, tiny and huge values. */
function numberText(r: () => number): string {
  const sign = r() < 0.3 ? '-' : '';
  switch (Math.floor(r() * 8)) {
    case 0:
      return `${sign}${Math.floor(r() * 1e6)}`;
    case 1:
      return `${sign}${(r() * 1000).toFixed(Math.floor(r() * 10))}`;
    case 2:
      return `${sign}${r()}`; // 16–17 significant digits: beyond the fast path
    case 3:
      return `${sign}${Math.floor(r() * 1000)}e${Math.floor(r() * 40) - 20}`;
    case 4:
      return `${sign}${(r() * 10).toFixed(3)}E+${Math.floor(r() * 300)}`;
    case 5:
      return `${sign}0.${'0'.repeat(Math.floor(r() * 30))}${Math.floor(r() * 1e9)}`;
    case 6:
      return `${sign}${Math.floor(r() * 9) + 1}${'0'.repeat(Math.floor(r() * 25))}`;
    default:
      return `${sign}0`;
  }
}

describe('scanNumericBatch', () => {
  it('reads every number as JSON.parse does, and keeps the data text as received', () => {
    const r = rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const width = 1 + Math.floor(r() * 6);
      const rows = 1 + Math.floor(r() * 40);
      const space = () => (r() < 0.2 ? ' \n\t'.slice(0, 1 + Math.floor(r() * 3)) : '');
      const columns = Array.from({ length: width }, (_, k) => `f${k}`);
      const data = Array.from({ length: rows }, () => `${space()}[${Array.from({ length: width }, () => `${space()}${numberText(r)}${space()}`).join(',')}]${space()}`);
      const dataText = `[${data.join(',')}]`;
      const text = `${space()}{${space()}"columns"${space()}:${space()}${JSON.stringify(columns)},${space()}"data":${space()}${dataText}${space()}}${space()}`;
      const want = JSON.parse(text) as { data: number[][] };
      const got = scanNumericBatch(text);
      expect(got, text).toBeDefined();
      expect(got!.columns).toEqual(columns);
      expect(got!.rows).toBe(rows);
      expect(decode(got!.data)).toBe(dataText);
      expect(rowTexts(got!)).toEqual(data.map((d) => d.trim()));
      expect(got!.breaks).toBe(data.some((d) => /[\t\n\r]/.test(d.trim())));
      for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) expect(Object.is(got!.values[j][i], want.data[i][j]), `${text} row ${i} col ${j}`).toBe(true);
    }
  });

  it('bounds each row, and says whether a tab or line break sits inside one', () => {
    const got = scanNumericBatch('{"columns":["a","b"],"data":[[1,2.5],[3,-4e-1]]}')!;
    expect(Array.from(got.bounds)).toEqual([1, 8, 9, 18]);
    expect(got.breaks).toBe(false);
    // White space around the data member is not part of its bytes.
    expect(decode(scanNumericBatch(' { "columns" : ["a"], "data" : [[1],[2]] } ')!.data)).toBe('[[1],[2]]');
    // Between rows, white space of any kind is outside every row.
    for (const data of ['[ [1],[2]]', '[[1] ,[2]]', '[[1],\n[2]]', '[\n [1],\r\n [2]\n]']) {
      const got = scanNumericBatch(`{"columns":["a"],"data":${data}}`)!;
      expect(decode(got.data), data).toBe(data);
      expect(rowTexts(got), data).toEqual(['[1]', '[2]']);
      expect(got.breaks, data).toBe(false);
    }
    for (const data of ['[[1\t],[2]]', '[[1],[\n2]]', '[[1],[2\r]]']) expect(scanNumericBatch(`{"columns":["a"],"data":${data}}`)!.breaks, data).toBe(true);
    expect(rowTexts(scanNumericBatch('{"columns":["a","b"],"data":[[ 1 , 2 ]]}')!)).toEqual(['[ 1 , 2 ]']);
  });

  it('reads names as UTF-8', () => {
    expect(scanNumericBatch('{"columns":["température","湿度"],"data":[[1,2]]}')!.columns).toEqual(['température', '湿度']);
  });

  it('stores float32 values by default, rounded as a Float32Array rounds the double', () => {
    const data = [[0.1, 1e-40], [123456.789, -3.4028236e38]];
    const got = scanBytes(new TextEncoder().encode(JSON.stringify({ columns: ['a', 'b'], data })))!;
    expect(got.values[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(got.values[0])).toEqual(Array.from(Float32Array.from([0.1, 123456.789])));
    expect(Array.from(got.values[1])).toEqual(Array.from(Float32Array.from([1e-40, -3.4028236e38])));
  });

  it('grows past its first capacity (more than 1,024 rows)', () => {
    const data = Array.from({ length: 2_500 }, (_, i) => [i, -(i + 1) / 8]);
    const got = scanNumericBatch(JSON.stringify({ columns: ['a', 'b'], data }))!;
    expect(got.rows).toBe(2_500);
    expect(Array.from(got.values[0])).toEqual(data.map((d) => d[0]));
    expect(Array.from(got.values[1])).toEqual(data.map((d) => d[1]));
  });

  it.each([
    ['a null value', '{"columns":["a"],"data":[[null]]}'],
    ['a string value', '{"columns":["a"],"data":[["1"]]}'],
    ['a ragged row', '{"columns":["a","b"],"data":[[1,2],[3]]}'],
    ['a row too long', '{"columns":["a"],"data":[[1,2]]}'],
    ['no rows', '{"columns":["a"],"data":[]}'],
    ['data before columns', '{"data":[[1]],"columns":["a"]}'],
    ['another member', '{"columns":["a"],"data":[[1]],"event_times":[1]}'],
    ['a repeated member', '{"columns":["a"],"columns":["b"],"data":[[1]]}'],
    ['an escaped name', '{"columns":["a\\u0062"],"data":[[1]]}'],
    ['a number too large for a double', '{"columns":["a"],"data":[[1e400]]}'],
    ['a leading zero', '{"columns":["a"],"data":[[01]]}'],
    ['a bare decimal point', '{"columns":["a"],"data":[[1.]]}'],
    ['a plus sign', '{"columns":["a"],"data":[[+1]]}'],
    ['a trailing comma', '{"columns":["a"],"data":[[1],]}'],
    ['text after the object', '{"columns":["a"],"data":[[1]]} x'],
    ['a nested array', '{"columns":["a"],"data":[[[1]]]}'],
    ['rows of objects', '{"rows":[{"a":1}]}'],
    ['a cut body', '{"columns":["a"],"data":[[1],[2'],
    ['a body cut in a fraction', '{"columns":["a"],"data":[[1.25'],
    ['a body cut in an exponent', '{"columns":["a"],"data":[[1e-'],
    ['a body cut after a sign', '{"columns":["a"],"data":[[-'],
    ['a body cut in white space', '{"columns":["a"],"data":[[1 \n'],
    ['a NUL byte', '{"columns":["a"],"data":[[1\u0000]]}'],
  ])('declines %s', (_what, text) => {
    expect(scanNumericBatch(text)).toBeUndefined();
  });
});
