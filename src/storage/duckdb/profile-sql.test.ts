// The profile of an ingest: text lengths for strings, histograms for numbers and for dates and
// timestamps (bins over epoch milliseconds), each equal to what plain JS computes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS } from '../../domain/datasets.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-profile-'));

describe('profile of an ingest', () => {
  it('measures text lengths and bins numbers, dates and timestamps in 20 equal-width bins', async () => {
    const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 3 * 86_400_000).toISOString().slice(0, 10));
    const notes = days.map((_, i) => 'x'.repeat((i % 9) + 1));
    const csv = ['day,at,n,note', ...days.map((d, i) => `${d},${d}T0${i % 10}:30:00Z,${i * i},${i === 5 ? '' : notes[i]}`)].join('\n') + '\n';
    const file = path.join(root, 'source.csv');
    writeFileSync(file, csv);
    const out = await engine.ingest({ path: file, format: 'csv', workDir: mkdtempSync(path.join(root, 'work-')) });
    const by = Object.fromEntries(out.profile.map((p) => [p.name, p]));

    const present = notes.filter((_, i) => i !== 5).map((s) => s.length);
    expect(by.note.text_length).toEqual({ min: Math.min(...present), max: Math.max(...present), mean: present.reduce((a, b) => a + b, 0) / present.length });
    expect(by.n.text_length).toBeNull();

    const binsOf = (values: number[]) => {
      const min = Math.min(...values);
      const width = (Math.max(...values) - min) / HISTOGRAM_BINS;
      const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
      for (const v of values) counts[Math.min(Math.max(Math.floor((v - min) / width), 0), HISTOGRAM_BINS - 1)]++;
      return counts;
    };
    const dayMs = days.map((d) => Date.parse(`${d}T00:00:00Z`));
    expect(by.day.histogram!.counts).toEqual(binsOf(dayMs));
    expect(by.day.histogram!.edges[0]).toBe(dayMs[0]);
    expect(by.day.histogram!.edges[HISTOGRAM_BINS]).toBe(dayMs[dayMs.length - 1]);
    const atMs = days.map((d, i) => Date.parse(`${d}T0${i % 10}:30:00Z`));
    expect(by.at.histogram!.counts).toEqual(binsOf(atMs));
    expect(by.n.histogram!.counts).toEqual(binsOf(days.map((_, i) => i * i)));
    expect(by.n.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(40);
  });
});
