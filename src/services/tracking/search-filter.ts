// MLflow's search filter and order_by languages, parsed (runs are then searched by the store in
// SQL; experiments, being few, are matched and sorted in memory here):
//   metrics.auc > 0.9 and params.algo = 'gbdt' and tags.`my key` LIKE 'a%' and attributes.status = 'FINISHED'
//   order_by: ["metrics.auc DESC", "attributes.start_time"]
// A run lacking the metric, param or tag of a clause does not match it (as in MLflow).
import type { Clause, Entity, Operator, OrderTerm } from '../../domain/run-search.js';
import { ValidationError } from '../../domain/errors.js';

export type { Clause, Entity, Operator, OrderTerm };

/** What a clause or order term reads from the searched object; undefined = absent. */
export type Lookup = (entity: Entity, key: string) => string | number | null | undefined;

const ENTITY: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

function invalid(message: string): never {
  throw new ValidationError(message, { field: 'filter' });
}

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = input.indexOf(c, i + 1);
      if (end < 0) invalid(`unterminated quote in filter at position ${i}: ${input}`);
      tokens.push({ kind: c === '`' ? 'ident' : 'string', text: input.slice(i + 1, end) });
      i = end + 1;
    } else if (/[<>!=]/.test(c)) {
      const two = input.slice(i, i + 2);
      const op = ['>=', '<=', '!=', '=='].includes(two) ? two : c;
      if (op === '!') invalid(`unexpected '!' in filter at position ${i}`);
      tokens.push({ kind: 'op', text: op === '==' ? '=' : op });
      i += op.length;
    } else if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(input.slice(i));
      const prev = tokens.at(-1);
      if (m && !(prev?.kind === 'punct' && prev.text === '.')) {
        tokens.push({ kind: 'number', text: m[0] });
        i += m[0].length;
        continue;
      }
      const w = /^[\w:\-]+/.exec(input.slice(i));
      if (!w) invalid(`unexpected character '${c}' in filter at position ${i}`);
      tokens.push({ kind: 'ident', text: w[0] });
      i += w[0].length;
    }
  }
  return tokens;
}

/** `entity.key` (or a bare attribute name) starting at tokens[i]; returns the next index. */
function readTarget(tokens: Token[], i: number, what: string): [Entity, string, number] {
  const first = tokens[i];
  if (!first || first.kind !== 'ident') invalid(`expected an identifier like metrics.auc in ${what}`);
  const dot = tokens[i + 1];
  if (dot?.kind === 'punct' && dot.text === '.') {
    const entity = ENTITY[first.text.toLowerCase()];
    if (!entity) invalid(`invalid entity '${first.text}' in ${what}: use metrics, params, tags or attributes`);
    const parts: string[] = [];
    let j = i + 2;
    // Keys may themselves hold dots (tags.mlflow.runName) unless quoted.
    for (;;) {
      const t = tokens[j];
      if (!t || (t.kind !== 'ident' && t.kind !== 'string' && t.kind !== 'number')) invalid(`expected a key after '${first.text}.' in ${what}`);
      parts.push(t.text);
      j++;
      if (tokens[j]?.kind === 'punct' && tokens[j].text === '.') j++;
      else break;
    }
    return [entity, parts.join('.'), j];
  }
  return ['attribute', first.text, i + 1];
}

/** Parse a filter; empty or undefined = no clause. */
export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  for (;;) {
    const [entity, key, next] = readTarget(tokens, i, 'filter');
    i = next;
    const opTok = tokens[i];
    let op: Operator;
    if (opTok?.kind === 'op') {
      op = opTok.text as Operator;
      i++;
    } else if (opTok?.kind === 'ident' && ['LIKE', 'ILIKE', 'IN'].includes(opTok.text.toUpperCase())) {
      op = opTok.text.toUpperCase() as Operator;
      i++;
    } else if (opTok?.kind === 'ident' && opTok.text.toUpperCase() === 'NOT' && tokens[i + 1]?.text.toUpperCase() === 'IN') {
      op = 'NOT IN';
      i += 2;
    } else {
      invalid(`expected a comparison operator after '${key}' in filter`);
    }
    let value: Clause['value'];
    if (op === 'IN' || op === 'NOT IN') {
      if (tokens[i]?.text !== '(') invalid(`expected '(' after ${op} in filter`);
      const list: string[] = [];
      i++;
      while (tokens[i] && tokens[i].text !== ')') {
        if (tokens[i].kind !== 'string') invalid(`${op} takes a list of quoted strings`);
        list.push(tokens[i].text);
        i++;
        if (tokens[i]?.text === ',') i++;
      }
      if (tokens[i]?.text !== ')') invalid(`expected ')' to close the ${op} list`);
      i++;
      value = list;
    } else {
      const v = tokens[i];
      if (!v || (v.kind !== 'string' && v.kind !== 'number')) invalid(`expected a value after '${key} ${op}' in filter`);
      value = v.kind === 'number' ? Number(v.text) : v.text;
      i++;
    }
    if (entity === 'metric' && typeof value !== 'number') invalid(`metric '${key}' must be compared with a number`);
    if ((entity === 'param' || entity === 'tag') && !['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'].includes(op)) {
      invalid(`${entity} '${key}' supports only =, !=, LIKE, ILIKE and IN (got ${op})`);
    }
    if ((entity === 'param' || entity === 'tag') && typeof value === 'number') invalid(`${entity} '${key}' must be compared with a quoted string`);
    clauses.push({ entity, key, op, value });
    if (i >= tokens.length) return clauses;
    if (tokens[i].kind !== 'ident' || tokens[i].text.toUpperCase() !== 'AND') invalid(`expected AND between clauses in filter, got '${tokens[i].text}'`);
    i++;
  }
}

function like(pattern: string, flags: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, flags);
}

/** Whether `actual op expected` holds (LIKE patterns: % any run of characters, _ one character). */
export function compare(actual: string | number, op: Operator, expected: Clause['value']): boolean {
  if (Array.isArray(expected)) return op === 'IN' ? expected.includes(String(actual)) : !expected.includes(String(actual));
  if (op === 'LIKE' || op === 'ILIKE') return like(String(expected), op === 'ILIKE' ? 'is' : 's').test(String(actual));
  const a = typeof expected === 'number' ? Number(actual) : String(actual);
  switch (op) {
    case '=':
      return a === expected;
    case '!=':
      return a !== expected;
    case '>':
      return a > expected;
    case '>=':
      return a >= expected;
    case '<':
      return a < expected;
    case '<=':
      return a <= expected;
    default:
      return false;
  }
}

export function matches(clauses: Clause[], lookup: Lookup): boolean {
  return clauses.every((c) => {
    const actual = lookup(c.entity, c.key);
    return actual !== undefined && actual !== null && compare(actual, c.op, c.value);
  });
}

/** Parse order_by terms such as "metrics.auc DESC" (ascending when no direction is given). */
export function parseOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return (orderBy ?? []).map((term) => {
    const tokens = tokenize(term);
    const [entity, key, next] = readTarget(tokens, 0, `order_by '${term}'`);
    const dir = tokens[next]?.text.toUpperCase();
    if (next < tokens.length - 1 || (dir !== undefined && dir !== 'ASC' && dir !== 'DESC')) {
      throw new ValidationError(`invalid order_by '${term}': expected '<entity>.<key> [ASC|DESC]'`, { field: 'order_by' });
    }
    return { entity, key, ascending: dir !== 'DESC' };
  });
}

/** A comparator by the terms; objects lacking a value sort last whatever the direction. */
export function comparator<T>(terms: OrderTerm[], lookup: (x: T) => Lookup): (a: T, b: T) => number {
  return (a, b) => {
    for (const t of terms) {
      const x = lookup(a)(t.entity, t.key);
      const y = lookup(b)(t.entity, t.key);
      const xMissing = x === undefined || x === null;
      const yMissing = y === undefined || y === null;
      if (xMissing || yMissing) {
        if (xMissing !== yMissing) return xMissing ? 1 : -1;
        continue;
      }
      if (x === y) continue;
      const less = typeof x === 'number' && typeof y === 'number' ? x < y : String(x) < String(y);
      return (less ? -1 : 1) * (t.ascending ? 1 : -1);
    }
    return 0;
  };
}
