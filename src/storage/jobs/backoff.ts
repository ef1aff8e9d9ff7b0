// How long a failed job waits before its next attempt: exponential, capped, with jitter.

export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60_000;

/**
 * Delay before retrying after the `attempts`-th failed attempt: min(1000 · 2^(attempts−1), 60 000)
 * ms, ±10 % jitter so failed jobs do not all come back at once.
 * @example retryDelayMs(1, () => 0.5) // 1000
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(base * (0.9 + 0.2 * random()));
}
