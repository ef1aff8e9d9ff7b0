// The small logging surface the worker pool needs (pino and console both fit).

export interface JobLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** Quiet about routine events, loud about problems. */
export const consoleJobLogger: JobLogger = {
  info: () => {},
  warn: (message, details) => console.warn(`[flywheel jobs] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[flywheel jobs] ${message}`, details ?? ''),
};
