// Auto-labelling decisions: the threshold, the seeded spot-check share, and the tasks the model
// never labels.
import { describe, expect, it } from 'vitest';
import { autoDecision, spotCheckDraw } from './auto-labelling.js';

const task = (id: string, o: { gold_label?: string | null; label_count?: number } = {}) => ({ id, gold_label: null, label_count: 0, ...o });
const ids = Array.from({ length: 2000 }, (_, i) => `01900000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`);

describe('auto-labelling decisions', () => {
  it('only suggests below the threshold, labels at or above it', () => {
    const s = { threshold: 0.9, spot_check_share: 0, seed: 1 };
    expect(autoDecision(s, task(ids[0]), 0.8999)).toBe('suggest');
    expect(autoDecision(s, task(ids[0]), 0.9)).toBe('auto-label');
    expect(autoDecision(null, task(ids[0]), 1)).toBe('suggest');
  });

  it('never labels gold tasks or tasks people have started', () => {
    const s = { threshold: 0.5, spot_check_share: 0, seed: 1 };
    expect(autoDecision(s, task(ids[0], { gold_label: 'rain' }), 0.99)).toBe('suggest');
    expect(autoDecision(s, task(ids[0], { label_count: 1 }), 0.99)).toBe('suggest');
  });

  it('sends the seeded share to people, the same tasks on every run', () => {
    const s = { threshold: 0, spot_check_share: 0.25, seed: 7 };
    const picked = ids.filter((id) => autoDecision(s, task(id), 1) === 'spot-check');
    expect(picked.length / ids.length).toBeGreaterThan(0.22);
    expect(picked.length / ids.length).toBeLessThan(0.28);
    expect(ids.filter((id) => autoDecision(s, task(id), 1) === 'spot-check')).toEqual(picked);
    // Another seed picks other tasks; share 1 sends them all, share 0 none.
    expect(ids.filter((id) => autoDecision({ ...s, seed: 8 }, task(id), 1) === 'spot-check')).not.toEqual(picked);
    expect(ids.every((id) => autoDecision({ ...s, spot_check_share: 1 }, task(id), 1) === 'spot-check')).toBe(true);
    expect(ids.some((id) => autoDecision({ ...s, spot_check_share: 0 }, task(id), 1) === 'spot-check')).toBe(false);
    expect(spotCheckDraw(7, ids[0])).toBe(spotCheckDraw(7, ids[0]));
  });
});
