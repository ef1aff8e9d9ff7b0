// Alerts of one monitor. The API lists a project's alerts (newest first) without a monitor
// filter, so these helpers page through it and keep one monitor's.
import type { Page } from '../../../../src/domain/pagination.js';
import { client } from '../../api.js';
import type { Alert } from './monitoring-types.js';

/** Every alert of the monitor (for the chart): all pages of 1000. */
export async function allAlertsOf(project: string, monitorId: string): Promise<Alert[]> {
  const out: Alert[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listAlerts({ params: { project }, query: { limit: 1000, cursor } });
    out.push(...page.items.filter((a) => a.monitor_id === monitorId));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * A <PagedList> loader of one monitor's alerts (all of the project's when `monitorId` is null),
 * optionally of one kind: reads on until a page has some of them, so a page is empty only at the end.
 */
export function alertsLoader(project: string, monitorId: string | null, kind: Alert['kind'] | null = null) {
  const keep = (a: Alert) => (monitorId === null || a.monitor_id === monitorId) && (kind === null || a.kind === kind);
  return async (cursor: string | null): Promise<Page<Alert>> => {
    let next: string | null = cursor;
    for (;;) {
      // A kind is a sparse filter (one performance alert among many drift ones): read big pages.
      const page = await client.listAlerts({ params: { project }, query: { cursor: next ?? undefined, limit: kind === null ? undefined : 1000 } });
      const items = page.items.filter(keep);
      if (items.length > 0 || page.next_cursor === null) return { items, next_cursor: page.next_cursor };
      next = page.next_cursor;
    }
  };
}
