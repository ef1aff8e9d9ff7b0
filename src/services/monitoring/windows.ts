// Calendar windows in UTC: the monitoring unit of time.

export interface TimeWindow {
  start: number;
  /** Exclusive. */
  end: number;
}

/** The calendar month (UTC) containing `t`. */
export function monthOf(t: number): TimeWindow {
  const d = new Date(t);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/**
 * Every calendar month overlapping [from, to).
 * @example monthsBetween(Date.UTC(2014, 0, 15), Date.UTC(2014, 2, 1)).length // 2 (Jan, Feb)
 */
export function monthsBetween(from: number, to: number): TimeWindow[] {
  const out: TimeWindow[] = [];
  for (let w = monthOf(from); w.start < to; w = monthOf(w.end)) out.push(w);
  return out;
}

/** `2014-03` for a window starting in March 2014. */
export function monthLabel(w: TimeWindow): string {
  return new Date(w.start).toISOString().slice(0, 7);
}
