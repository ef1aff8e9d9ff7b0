// The metrics a classifier is judged by on a holdout: accuracy and macro-F1, plus per-class F1.
import { classificationReport } from '../../stats/index.js';

export function holdoutMetrics(actual: string[], predicted: string[]): Record<string, number> {
  if (actual.length === 0) return {};
  const report = classificationReport(actual, predicted);
  const metrics: Record<string, number> = { accuracy: report.accuracy, macro_f1: report.macroF1 };
  report.labels.forEach((label, i) => (metrics[`f1.${label}`] = report.f1[i]));
  return metrics;
}
