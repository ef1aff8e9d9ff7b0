// How runs are labelled in lists and pages: the status badge tone and the experiment's name.
import type { RunView } from '../../../../src/contracts/index.js';

export const RUN_TONE: Record<RunView['status'], string> = { queued: 'info', running: 'info', finished: 'good', failed: 'bad', killed: 'bad' };

/** The experiment a run belongs to, by name (from its spec). */
export const experimentOf = (r: RunView): string => (typeof r.spec.experiment === 'string' ? r.spec.experiment : '—');
