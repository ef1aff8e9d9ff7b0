// The MLflow filter and order_by languages: parsing, matching (absent values never match),
// ordering with absent values last, and readable refusals.
import { describe, expect, it } from 'vitest';
import { comparator, matches, parseFilter, parseOrderBy, type Lookup } from './search-filter.js';
import { decodePageToken, pageOf } from './page-token.js';

const run = (metrics: Record<string, number>, params: Record<string, string>, attrs: Record<string, string | number> = {}): Lookup => (entity, key) =>
  entity === 'metric' ? metrics[key] : entity === 'param' ? params[key] : entity === 'attribute' ? attrs[key] : undefined;

describe('MLflow search filters', () => {
  it('parses clauses joined by AND, with quoted and backticked keys', () => {
    expect(parseFilter("metrics.auc > 0.9 and params.algo = 'gbdt' AND tags.`my key` LIKE \"a%\" and attributes.status IN ('FINISHED', 'FAILED')")).toEqual([
      { entity: 'metric', key: 'auc', op: '>', value: 0.9 },
      { entity: 'param', key: 'algo', op: '=', value: 'gbdt' },
      { entity: 'tag', key: 'my key', op: 'LIKE', value: 'a%' },
      { entity: 'attribute', key: 'status', op: 'IN', value: ['FINISHED', 'FAILED'] },
    ]);
    expect(parseFilter('tags.mlflow.runName = "x"')).toEqual([{ entity: 'tag', key: 'mlflow.runName', op: '=', value: 'x' }]);
    expect(parseFilter('  ')).toEqual([]);
  });

  it('matches only runs that have the compared value', () => {
    const clauses = parseFilter("metrics.auc >= 0.9 and params.algo ILIKE 'GB%'");
    expect(matches(clauses, run({ auc: 0.9 }, { algo: 'gbdt' }))).toBe(true);
    expect(matches(clauses, run({ auc: 0.89 }, { algo: 'gbdt' }))).toBe(false);
    expect(matches(clauses, run({}, { algo: 'gbdt' }))).toBe(false);
    expect(matches(parseFilter("params.algo LIKE 'GB%'"), run({}, { algo: 'gbdt' }))).toBe(false);
    expect(matches(parseFilter('attributes.start_time < 5'), run({}, {}, { start_time: 4 }))).toBe(true);
  });

  it('refuses malformed filters with a message naming the problem', () => {
    expect(() => parseFilter('metrics.auc >')).toThrow(/expected a value/);
    expect(() => parseFilter("metrics.auc = 'high'")).toThrow(/compared with a number/);
    expect(() => parseFilter("params.a > 'x'")).toThrow(/supports only/);
    expect(() => parseFilter("foo.a = 'x'")).toThrow(/invalid entity 'foo'/);
    expect(() => parseFilter("params.a = 'x' or params.b = 'y'")).toThrow(/expected AND/);
    expect(() => parseFilter("params.a = 'x")).toThrow(/unterminated quote/);
  });

  it('orders by terms, absent values last in both directions', () => {
    const rows = [{ auc: 0.5 }, {}, { auc: 0.9 }] as Array<Record<string, number>>;
    const look = (m: Record<string, number>) => run(m, {});
    const desc = [...rows].sort(comparator(parseOrderBy(['metrics.auc DESC']), look));
    expect(desc).toEqual([{ auc: 0.9 }, { auc: 0.5 }, {}]);
    const asc = [...rows].sort(comparator(parseOrderBy(['metrics.auc']), look));
    expect(asc).toEqual([{ auc: 0.5 }, { auc: 0.9 }, {}]);
    expect(() => parseOrderBy(['metrics.auc SIDEWAYS'])).toThrow(/invalid order_by/);
  });

  it('pages by opaque tokens and refuses forged ones', () => {
    const first = pageOf([1, 2, 3], 2, undefined);
    expect(first.items).toEqual([1, 2]);
    expect(pageOf([1, 2, 3], 2, first.next_page_token)).toEqual({ items: [3] });
    expect(() => decodePageToken('garbage')).toThrow(/invalid page_token/);
  });
});
