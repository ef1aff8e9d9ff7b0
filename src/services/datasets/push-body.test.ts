// The scan of push bodies: a plain `{"rows":[…]}` body answers each row's own text (what the
// engine then reads is what it read of JSON.stringify's text of the parsed row), every other
// body is declined (the caller parses it as before), and no declined body is ever taken for rows.
import { describe, expect, it } from 'vitest';
import { ScannedPushBody, scanPushBody } from './push-body.js';

const lines = (s: ScannedPushBody | undefined) => s?.lines.slice(0, -1).split('\n');

describe('scanPushBody', () => {
  it('answers the rows of a JSON.stringify body exactly as JSON.stringify writes each row', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, ts: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), x: i / 3, c: i % 2 ? 'a' : 'b"q\\', ok: i % 3 === 0, n: null }));
    const scanned = scanPushBody(JSON.stringify({ rows }), 10_000)!;
    expect(scanned.rows).toBe(50);
    expect(scanned.lines).toBe(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(Object.keys(scanned.shapes[0])).toEqual(['id', 'ts', 'x', 'c', 'ok', 'n']);
    expect(new Set(scanned.shapes).size).toBe(1); // rows with the same keys share one shape
  });

  it('keeps rows as sent (spaces, escapes), line breaks between tokens made spaces', () => {
    const body = '{ "rows": [\n  {"a": 1, "b": "x\\u00e9\\n"},\r\n  {"b":"y",\n "a" : 2.5}\n] }\n';
    const scanned = scanPushBody(body, 10_000)!;
    expect(lines(scanned)).toEqual(['{"a": 1, "b": "x\\u00e9\\n"}', '{"b":"y",  "a" : 2.5}']);
    expect(scanned.shapes.map((s) => Object.keys(s))).toEqual([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect(lines(scanned)!.map((l) => JSON.parse(l))).toEqual(JSON.parse(body).rows);
  });

  it('writes a row as JSON.stringify does when a number or a nested value would read otherwise', () => {
    // Integral doubles (1.0, 1e3), -0, integers beyond a double's precision, and nested values.
    const body = '{"rows":[{"a":1.0},{"a":1e3},{"a":-0},{"a":12345678901234567890},{"a":[1.50,{"b":2.0}]},{"a":0.1,"b":-2.25,"c":33.333333333333336,"d":1.50}]}';
    expect(lines(scanPushBody(body, 10_000))).toEqual([
      '{"a":1}',
      '{"a":1000}',
      '{"a":0}',
      '{"a":12345678901234567000}',
      '{"a":[1.5,{"b":2}]}',
      '{"a":0.1,"b":-2.25,"c":33.333333333333336,"d":1.50}', // none of these changes what is read
    ]);
  });

  it('decodes keys written with escapes', () => {
    const scanned = scanPushBody('{"rows":[{"\\u0061":1,"b\\"c":2}]}', 10_000)!;
    expect(Object.keys(scanned.shapes[0])).toEqual(['a', 'b"c']);
  });

  it('declines every body it does not take as plain rows', () => {
    const declined = [
      '',
      'null',
      '{"rows":[]}',
      '{"rows":[1,2]}',
      '{"rows":[{"a":1},[1]]}',
      '{"rows":{"a":1}}',
      '{"rows":[{"a":1}],"extra":true}',
      '{"other":[{"a":1}]}',
      '{"rows":[{"a":1,"a":2}]}', // a key twice: JSON.parse keeps the last
      '{"rows":[{"a":1,"\\u0061":2}]}',
      '{"rows":[{"__proto__":{"x":1}}]}',
      '{"rows":[{"a":{"constructor":{"prototype":{}}}}]}',
      '{"rows":[{"a":1}]',
      '{"rows":[{"a":1}]}x',
      '{"rows":[{"a":01}]}',
      '{"rows":[{"a":1.}]}',
      '{"rows":[{"a":"\u0001"}]}',
      '{"rows":[{"a":"\\x"}]}',
      '{"rows":[{"a":tru}]}',
      '{"rows":[{"a":1},]}',
      '\ufeff{"rows":[{"a":1}]}',
    ];
    for (const body of declined) expect(scanPushBody(body, 10_000), body).toBeUndefined();
    expect(scanPushBody('{"rows":[{"a":1},{"a":2},{"a":3}]}', 2)).toBeUndefined(); // more rows than allowed
    expect(scanPushBody('{"rows":[{"a":1},{"a":2}]}', 2)?.rows).toBe(2);
  });

  it('never takes a body JSON.parse refuses, and reads what JSON.parse reads of those it takes (seeded random bodies)', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
    const atoms = ['1', '-1', '0', '1.5', '1.0', '1e3', '0.10', '"x"', '"a\\"b"', '"\\u00e9"', 'true', 'false', 'null', '[1,2.0]', '{"k":"v"}'];
    const ws = () => pick(['', '', ' ', '\n', '\t']);
    for (let n = 0; n < 3_000; n++) {
      const keys = [pick(['"a"', '"b"']), pick(['"c"', '"\\u0064"'])];
      const rows = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => `{${ws()}${keys.map((k) => `${k}${ws()}:${ws()}${pick(atoms)}`).join(`,${ws()}`)}${ws()}}`);
      let body = `${ws()}{"rows":${ws()}[${rows.join(`,${ws()}`)}]${ws()}}`;
      if (rnd() < 0.4) {
        const i = Math.floor(rnd() * body.length);
        body = body.slice(0, i) + pick(['', '"', ',', '}', ']', 'x', '\\', '0']) + body.slice(i + 1);
      }
      let parsed: { rows: Array<Record<string, unknown>> } | undefined;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const scanned = scanPushBody(body, 10_000);
      if (!scanned) continue;
      expect(parsed, body).toBeDefined();
      expect(lines(scanned)!.map((l) => JSON.parse(l)), body).toEqual(parsed!.rows);
      expect(scanned.shapes.map((s) => Object.keys(s))).toEqual(parsed!.rows.map((r) => Object.keys(r)));
    }
  });
});
