// Number display for the loop's pages: metrics to 3 decimals, counts with a noun, UTC months.

/** A metric to 3 decimals ('0.565'); '—' when absent. */
export function fmt3(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

/** A count with its noun, e.g. `count(1, 'version')` → '1 version', `count(1461, 'row')` → '1,461 rows'. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? noun : plural}`;
}

const month = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A monitoring window's calendar month (windows are UTC months), e.g. 'Jan 2014'. */
export function monthLabel(ms: number): string {
  return month.format(new Date(ms));
}

/** Regression metrics as people write them. */
const REGRESSION_NAMES: Record<string, string> = { rmse: 'RMSE', mae: 'MAE', r2: 'R²', mape: 'MAPE' };

/** A metric's display name: 'macro_f1' → 'macro-F1', 'f1.rain' → 'F1 rain', 'psi.wind' → 'PSI wind', 'r2' → 'R²'. */
export function metricName(key: string): string {
  if (key === 'macro_f1') return 'macro-F1';
  if (REGRESSION_NAMES[key]) return REGRESSION_NAMES[key];
  const [head, ...rest] = key.split('.');
  if (rest.length && (head === 'f1' || head === 'psi')) return `${head === 'f1' ? 'F1' : 'PSI'} ${rest.join('.')}`;
  return key.replaceAll('_', ' ');
}

/** A gate summary as people write it: '>=' → '≥', '<=' → '≤'. */
export function prettyOps(text: string): string {
  return text.replaceAll('>=', '≥').replaceAll('<=', '≤');
}

/** The headline metrics: a classifier's accuracy and macro-F1, a regression model's RMSE, MAE, R² and MAPE. */
const FIRST = ['accuracy', 'macro_f1', 'rmse', 'mae', 'r2', 'mape'];

/** Metric entries with the headline ones first (accuracy, macro-F1; RMSE, MAE, R², MAPE), then the rest by name. */
export function sortedMetrics(metrics: Record<string, number>): [string, number][] {
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  return Object.entries(metrics).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Whether a metric is one of the headline ones (accuracy, macro-F1; RMSE, MAE, R², MAPE). */
export const isHeadlineMetric = (key: string): boolean => FIRST.includes(key);
