// Source schedules: five-field cron only, IANA zones, and next due times across a DST change.
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../domain/dataset-sources.js';
import { checkCron, checkTimezone, nextDue } from './schedule.js';

describe('source schedules', () => {
  it('finds the next slot in the schedule\'s zone, across daylight saving time', () => {
    // Oslo moves from +01:00 to +02:00 on 2024-03-31: 06:00 local is 05:00 UTC before, 04:00 after.
    expect(new Date(nextDue('0 6 * * *', 'Europe/Oslo', Date.parse('2024-03-30T10:00:00Z'))!).toISOString()).toBe('2024-03-31T04:00:00.000Z');
    expect(new Date(nextDue('0 6 * * *', 'Europe/Oslo', Date.parse('2024-03-29T10:00:00Z'))!).toISOString()).toBe('2024-03-30T05:00:00.000Z');
    expect(nextDue('*/15 * * * *', 'UTC', Date.parse('2024-01-01T00:00:00Z'))).toBe(Date.parse('2024-01-01T00:15:00Z'));
  });

  it('refuses what is not a five-field cron expression or an IANA zone, naming the field', () => {
    expect(checkCron('  0   6 * * 1-5 ', 'body.schedule')).toBe('0 6 * * 1-5');
    expect(() => checkCron('*/5 * * * * *', 'body.schedule')).toThrow(/five fields/);
    expect(() => checkCron('0 6 * * mon-xyz', 'body.schedule')).toThrow(/not a valid cron expression/);
    expect(checkTimezone('America/New_York', 'body.timezone')).toBe('America/New_York');
    for (const bad of ['', 'Mars/Base', 'GMT+25']) {
      try {
        checkTimezone(bad, 'body.timezone');
        expect.unreachable(bad);
      } catch (error) {
        expect((error as { details: { field: string } }).details.field).toBe('body.timezone');
      }
    }
  });

  it('shows URLs without credentials', () => {
    expect(redactUrl('https://ann:pw@example.com:8443/a/b.csv?token=abc&x=1')).toBe('https://example.com:8443/a/b.csv?token=***&x=***');
    expect(redactUrl('postgres://app:secret@db.internal:5432/sales?sslmode=require')).toBe('postgres://db.internal:5432/sales?sslmode=***');
    expect(redactUrl('nonsense')).toBe('(invalid URL)');
  });
});
