// Assert that two ingests of the same rows answered the same: report, schema, profile, the same
// accepted Parquet bytes and the same quarantined rows (for tests of the engine's fast paths).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { DataEngine, IngestOutcome } from '../../src/domain/ports/data-engine.js';

/** The digest of an outcome's accepted Parquet: its bytes when the engine answered them, else its file. */
const sha = (accepted: IngestOutcome['accepted']) => createHash('sha256').update(accepted.bytes ?? readFileSync(accepted.path)).digest('hex');

export async function expectSameOutcome(engine: Pick<DataEngine, 'readQuarantine'>, actual: IngestOutcome, expected: IngestOutcome): Promise<void> {
  expect(actual.report).toEqual(expected.report);
  expect(actual.schema).toEqual(expected.schema);
  expect(actual.profile).toEqual(expected.profile);
  expect(actual.accepted.rows).toBe(expected.accepted.rows);
  expect(sha(actual.accepted)).toBe(sha(expected.accepted));
  expect(Boolean(actual.quarantine)).toBe(Boolean(expected.quarantine));
  if (expected.quarantine) {
    expect(await engine.readQuarantine(actual.quarantine!.path, { limit: 100 })).toEqual(await engine.readQuarantine(expected.quarantine.path, { limit: 100 }));
  }
}
