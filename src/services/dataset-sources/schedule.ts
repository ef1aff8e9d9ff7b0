// Cron schedules of sources: five-field cron expressions read in an IANA time zone (croner), and
// when each is next due. A bad expression or zone is a ValidationError naming the field.
import { Cron } from 'croner';
import { ValidationError } from '../../domain/errors.js';

/** Check an IANA time zone name, e.g. `Europe/Oslo` or `UTC`. */
export function checkTimezone(zone: string, field: string): string {
  const name = zone.trim();
  try {
    if (name === '') throw new RangeError('empty');
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw new ValidationError(`${field} must be an IANA time zone such as 'UTC' or 'Europe/Oslo', got '${zone}'`, { field });
  }
  return name;
}

/** Check a five-field cron expression (minute hour day-of-month month day-of-week). */
export function checkCron(expression: string, field: string): string {
  const text = expression.trim().replace(/\s+/g, ' ');
  const parts = text === '' ? 0 : text.split(' ').length;
  if (parts !== 5) {
    throw new ValidationError(`${field} must be a cron expression of five fields (minute hour day month weekday), e.g. '0 6 * * *'; got '${expression}'`, { field });
  }
  try {
    new Cron(text, { paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    throw new ValidationError(`${field} is not a valid cron expression ('${expression}'): ${reason}`, { field });
  }
  return text;
}

/**
 * The first time after `after` (epoch ms) that `expression` matches in `zone`; null when it never does again.
 * @example nextDue('0 6 * * *', 'Europe/Oslo', Date.parse('2024-03-30T10:00:00Z')) // Date.parse('2024-03-31T04:00:00Z')
 */
export function nextDue(expression: string, zone: string, after: number): number | null {
  const next = new Cron(expression, { timezone: zone, paused: true }).nextRun(new Date(after));
  return next ? next.getTime() : null;
}
