// Types of the monitoring views, inferred from their contracts (which export only the schemas).
import type { z } from 'zod';
import type { AlertView, DecisionView, MonitorView, WindowView } from '../../../../src/contracts/index.js';

export type Monitor = z.infer<typeof MonitorView>;
export type MonitorWindow = z.infer<typeof WindowView>;
export type Alert = z.infer<typeof AlertView>;
export type Decision = z.infer<typeof DecisionView>;
export type MonitorWithWindows = Monitor & { windows: MonitorWindow[] };
