// Display helpers: local times, empty values.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Epoch milliseconds in the viewer's local format; '—' for null. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return dateTime.format(new Date(ms));
}

export function dash(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : value;
}
