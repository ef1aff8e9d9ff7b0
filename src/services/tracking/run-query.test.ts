// Turning MLflow's filter and order_by into the store's run search: attribute checks, status
// names mapped to stored statuses, metric operators; page tokens bound to their search.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { decodeRunCursor, encodeRunCursor, searchFingerprint } from './run-cursor.js';
import { runClauses, runOrder } from './run-query.js';
import { posixNormpath } from './tracking-limits.js';

describe('run search input', () => {
  it('maps status clauses on MLflow names to the stored statuses they match', () => {
    expect(runClauses("attributes.status = 'FINISHED'")).toEqual([{ entity: 'attribute', key: 'status', op: 'IN', value: ['finished'] }]);
    expect(runClauses("status != 'RUNNING'")[0].value).toEqual(['queued', 'finished', 'failed', 'killed']);
    expect(runClauses("status LIKE 'F%'")[0].value).toEqual(['finished', 'failed']);
    expect(runClauses("run_name = 'a' and attributes.start_time >= 5")).toEqual([
      { entity: 'attribute', key: 'run_name', op: '=', value: 'a' },
      { entity: 'attribute', key: 'start_time', op: '>=', value: 5 },
    ]);
  });

  it('refuses unknown attributes, times compared with strings and metrics with LIKE', () => {
    expect(() => runClauses("attributes.colour = 'red'")).toThrow(/Invalid attribute key 'colour' specified. Valid keys are 'run_id', 'run_name'/);
    expect(() => runClauses("attributes.start_time > '2024'")).toThrow(ValidationError);
    expect(() => runClauses("attributes.run_name > 'a'")).toThrow(/supports only =, !=, LIKE/);
    expect(() => runOrder(['attributes.colour DESC'])).toThrow(/Invalid attribute key/);
    expect(runOrder(['metrics.auc DESC', 'name'])).toEqual([
      { entity: 'metric', key: 'auc', ascending: false },
      { entity: 'attribute', key: 'run_name', ascending: true },
    ]);
  });

  it('binds a page token to its search and carries non-finite sort values', () => {
    const f = searchFingerprint(['e', 'ACTIVE_ONLY', [], []]);
    const token = encodeRunCursor([0, Infinity, 'x', 1700000000000], f);
    expect(decodeRunCursor(token, f)).toEqual([0, Infinity, 'x', 1700000000000]);
    expect(() => decodeRunCursor(token, searchFingerprint(['e', 'ALL', [], []]))).toThrow(/another filter or order/);
    expect(() => decodeRunCursor('bm90IGpzb24', f)).toThrow(/not a page token/);
  });

  it('normalises paths as Python’s posixpath.normpath does', () => {
    expect(['a//b', 'a/./b', './a', 'a/', '../x', 'a/../b', '/x/../..', '//x', '///x', '', 'a/b'].map(posixNormpath)).toEqual(['a/b', 'a/b', 'a', 'a', '../x', 'b', '/', '//x', '/x', '.', 'a/b']);
  });
});
