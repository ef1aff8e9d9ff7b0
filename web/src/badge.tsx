// A small coloured label for statuses and outcomes (success, denied, failed, running...).
const TONES: Record<string, string> = {
  success: 'good',
  succeeded: 'good',
  active: 'good',
  denied: 'warn',
  cancelled: 'muted',
  revoked: 'muted',
  disabled: 'muted',
  failed: 'bad',
  expired: 'muted',
  queued: 'info',
  running: 'info',
  admin: 'info',
};

export function Badge({ value, tone }: { value: string; tone?: string }) {
  return <span className={`badge badge-${tone ?? TONES[value] ?? 'plain'}`}>{value}</span>;
}
