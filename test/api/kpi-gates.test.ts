// KPI gates on both databases: a candidate and the champion are both evaluated on the
// candidate's holdout; a minimum improvement over the champion passes or fails; a gap between
// slices of a categorical column fails; the report is stored with the version and returned; a
// failed gate blocks promotion to champion with a 409 naming the failed checks (audited), and
// only an admin or owner may override it, with a reason (audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { databaseTargets } from '../support/databases.js';
import { gateRows, inHoldout, seedGateProject, specAccuracy, type GateRow } from '../support/gate-fixture.js';
import { addMember, call, signIn, type Headers } from '../support/http.js';
import { openServingApp, type ServingApp } from '../support/serving.js';

const PASSWORD = 'a-long-enough-password';

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`KPI gates: improvement over the champion, slice gaps, blocked promotion (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let s: ServingApp;
    let admin: Headers;
    let otto: Headers;
    let holdout: GateRow[];
    const project = 'gates';
    const base = `/api/v1/projects/${project}`;
    const validate = (v: number, as = admin) => call(s.app, 'POST', `${base}/models/weather/versions/${v}/validate`, as);
    const policy = (body: unknown) => call(s.app, 'PUT', `${base}/validation-policy`, admin, body);
    const promote = (v: number, body: Record<string, unknown> = {}, as = admin) => call(s.app, 'PUT', `${base}/models/weather/aliases/champion`, as, { version: v, ...body });

    beforeAll(async () => {
      s = await openServingApp({ databaseUrl: await target.freshUrl() });
      const boot = (await s.platform.services.users.bootstrapAdmin())!;
      admin = await signIn(s.app, boot.user.username, boot.password);
      expect((await call(s.app, 'POST', '/api/v1/projects', admin, { name: project })).status).toBe(201);
      await addMember(s.app, admin, project, 'otto', PASSWORD, 'ops');
      otto = await signIn(s.app, 'otto', PASSWORD);
      await seedGateProject(s.app, s.platform, admin, project);
      holdout = gateRows().filter(inHoldout);
    }, 120_000);
    afterAll(() => s?.close());

    it('promotes freely while the policy sets no checks, and validation then says so', async () => {
      expect((await promote(1, { reason: 'first model' })).status).toBe(200);
      const r = await validate(1);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ model: 'weather', version: 1, gate: { passed: true, checks: [] } });
      expect(r.body.gate.summary).toMatch(/sets no checks/);
    });

    it('evaluates candidate and champion on the candidate\'s holdout, passes a small minimum improvement, and stores the report', async () => {
      const v1 = specAccuracy(WEATHER_SPEC, holdout);
      const v2 = specAccuracy(WEATHER_SPEC_V2, holdout);
      expect(v2 - v1).toBeGreaterThan(0.05); // the fixture's premise
      expect((await policy({ thresholds: { accuracy: { min: 0.3 } }, min_improvement: { accuracy: 0.01, log_loss: -10 } })).status).toBe(200);
      const r = await validate(2);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const gate = r.body.gate;
      expect(gate.passed, gate.summary).toBe(true);
      const improvement = gate.checks.find((c: { kind: string; metric: string }) => c.kind === 'min_improvement' && c.metric === 'accuracy');
      // Both on the same 92-day holdout, not the recorded 0.99 of v1.
      expect(improvement.value).toBeCloseTo(v2, 10);
      expect(improvement.champion_value).toBeCloseTo(v1, 10);
      expect(improvement.improvement).toBeCloseTo(v2 - v1, 10);
      expect(improvement).toMatchObject({ threshold: 0.01, op: '>=', passed: true });
      expect(improvement.message).toMatch(/^accuracy 0\.\d{4} vs the champion \(v1\) 0\.\d{4}: an improvement of 0\.\d{4} \(at least 0\.0100 required\)$/);
      expect(gate.checks.find((c: { metric: string }) => c.metric === 'log_loss')).toMatchObject({ kind: 'min_improvement', passed: true });
      expect(gate.basis).toMatchObject({ champion_version: 1, candidate_version: 2, holdout: { rows: holdout.length, skipped: 0 } });
      expect(gate.basis.note).toMatch(/both evaluated on the candidate's holdout/);
      const stored = await call(s.app, 'GET', `${base}/models/weather/versions/2`, admin);
      expect(stored.body.gate).toEqual(gate);
    });

    it('fails a minimum improvement the candidate does not reach, and blocks its promotion with a 409 naming the check (audited)', async () => {
      expect((await policy({ min_improvement: { accuracy: 0.5 } })).status).toBe(200);
      const r = await validate(2);
      expect(r.body.gate.passed).toBe(false);
      expect(r.body.gate.summary).toMatch(/^failed: accuracy 0\.\d{4} vs the champion \(v1\) 0\.\d{4}: an improvement of only 0\.\d{4} \(at least 0\.5000 required\)$/);
      const blocked = await promote(2, { reason: 'looks better' }, otto);
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toMatch(/weather v2 failed its KPI gate, so it cannot become champion: accuracy .* an improvement of only/);
      expect(blocked.body.error.details.failed_checks).toEqual([expect.objectContaining({ kind: 'min_improvement', metric: 'accuracy' })]);
      expect((await call(s.app, 'GET', `${base}/models/weather`, admin)).body.aliases).toEqual({ champion: 1 });
      const audit = await call(s.app, 'GET', `${base}/audit`, admin);
      const refused = audit.body.items.find((e: { action: string; outcome: string }) => e.action === 'model.alias' && e.outcome === 'failed');
      expect(refused.details).toMatchObject({ version: 2, gate: { passed: false, failed_checks: ['min_improvement accuracy'] }, error: 'conflict' });
    });

    it('fails a gap between the slices of a column above the maximum, listing each slice', async () => {
      expect((await policy({ min_improvement: { accuracy: 0.01 }, max_slice_gap: [{ metric: 'accuracy', column: 'station', max: 0.1 }] })).status).toBe(200);
      const r = await validate(2);
      const check = r.body.gate.checks.find((c: { kind: string }) => c.kind === 'max_slice_gap');
      const north = specAccuracy(WEATHER_SPEC_V2, holdout.filter((x) => x.station === 'north'));
      const south = specAccuracy(WEATHER_SPEC_V2, holdout.filter((x) => x.station === 'south'));
      expect(north).toBe(1);
      expect(check).toMatchObject({ metric: 'accuracy', column: 'station', threshold: 0.1, passed: false });
      expect(check.value).toBeCloseTo(north - south, 10);
      expect(check.slices.map((x: { slice: string; n: number }) => [x.slice, x.n])).toEqual([
        ['north', holdout.filter((x) => x.station === 'north').length],
        ['south', holdout.filter((x) => x.station === 'south').length],
      ]);
      expect(check.message).toMatch(/^accuracy differs by 0\.\d{4} across station slices \(best north 1, worst south 0\.\d{4}\), above the maximum 0\.1000$/);
      expect(r.body.gate.passed).toBe(false);
      expect(r.body.gate.checks.find((c: { kind: string }) => c.kind === 'min_improvement').passed).toBe(true);
      // A slice rule on a column the dataset does not have fails, saying why.
      await policy({ max_slice_gap: [{ metric: 'accuracy', column: 'county', max: 0.1 }] });
      const missing = (await validate(2)).body.gate.checks.find((c: { kind: string }) => c.kind === 'max_slice_gap');
      expect(missing).toMatchObject({ passed: false, value: null, message: "accuracy across county slices was not measured: 'county' is not a column of the holdout's dataset version" });
      await policy({ max_slice_gap: [{ metric: 'accuracy', column: 'station', max: 0.1 }] });
    });

    it('lets only an admin or owner override a failed gate, with a reason, and audits the override', async () => {
      const asOps = await promote(2, { override_gate: true, reason: 'ops wants it' }, otto);
      expect(asOps.status).toBe(403);
      expect(asOps.body.error.details).toMatchObject({ action: 'model.gate-override', role: 'ops' });
      const noReason = await promote(2, { override_gate: true });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.details.field).toBe('body.reason');
      const done = await promote(2, { override_gate: true, reason: 'south station data is being fixed; accepted for now' });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ version: 2, previous_version: 1, reason: 'south station data is being fixed; accepted for now' });
      const audit = await call(s.app, 'GET', `${base}/audit`, admin);
      const moved = audit.body.items.find((e: { action: string; outcome: string; details: { version: number } }) => e.action === 'model.alias' && e.outcome === 'success' && e.details.version === 2);
      expect(moved.details.gate).toEqual({ passed: false, overridden: true, failed_checks: ['max_slice_gap accuracy across station'] });
      const denied = audit.body.items.filter((e: { action: string; outcome: string }) => e.action === 'model.alias' && e.outcome === 'denied');
      expect(denied.length).toBeGreaterThanOrEqual(1);
    });

    it('re-evaluates a stale report at promotion: v1 back to champion is judged against v2 now', async () => {
      // v1's stored report was made with no checks; now v2 is champion and v1 is far worse on its holdout.
      await policy({ min_improvement: { accuracy: 0 }, max_slice_gap: [] });
      const back = await promote(1, { reason: 'roll back' });
      expect(back.status).toBe(409);
      const v1 = (await call(s.app, 'GET', `${base}/models/weather/versions/1`, admin)).body;
      expect(v1.gate).toMatchObject({ passed: false, basis: { champion_version: 2, candidate_version: 1 } });
      expect(v1.gate.checks.find((c: { kind: string }) => c.kind === 'min_improvement').message).toMatch(/^accuracy 0\.\d{4} vs the champion \(v2\) 0\.\d{4}: 0\.\d{4} worse \(at least 0 required\)$/);
    });

    it('refuses a policy with a metric of unknown direction or a bad slice rule, naming the field', async () => {
      const unknown = await policy({ min_improvement: { latency: 0.1 } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.field).toBe('body.min_improvement.latency');
      const negative = await policy({ max_slice_gap: [{ metric: 'accuracy', column: 'station', max: -1 }] });
      expect(negative.status).toBe(400);
      expect(negative.body.error.message).toMatch(/max_slice_gap/);
      const v = await call(s.app, 'GET', `${base}/validation-policy`, admin);
      expect(v.body).toMatchObject({ min_improvement: { accuracy: 0 }, max_slice_gap: [] });
      expect((await validate(9)).status).toBe(404);
    });
  });
}
