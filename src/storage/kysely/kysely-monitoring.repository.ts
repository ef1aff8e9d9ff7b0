// Monitors, window results, alerts and retraining decisions on Kysely.
import type { Kysely, Selectable } from 'kysely';
import { isId } from '../../domain/ids.js';
import type { Alert, Monitor, MonitorWindow, RetrainDecision } from '../../domain/monitoring.js';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { AlertFilter, MonitoringRepository } from '../../domain/ports/monitoring-store.js';
import { pageById } from './cursor.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { AlertsTable, MonitorWindowsTable, MonitorsTable, RetrainDecisionsTable } from './schema-loop.js';
import { conflictsAs } from './unique-violation.js';

const toMonitor = (r: Selectable<MonitorsTable>): Monitor => ({
  ...r,
  features: JSON.parse(r.features),
  baseline: JSON.parse(r.baseline),
  psi_threshold: Number(r.psi_threshold),
  tolerance: Number(r.tolerance),
  window: 'month',
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

const toWindow = (r: Selectable<MonitorWindowsTable>): MonitorWindow => ({
  ...r,
  window_start: toNum(r.window_start),
  window_end: toNum(r.window_end),
  predictions: toNum(r.predictions),
  labelled: toNum(r.labelled),
  drift: JSON.parse(r.drift),
  performance: r.performance ? JSON.parse(r.performance) : null,
  baseline: JSON.parse(r.baseline),
  created_at: toNum(r.created_at),
});

const toAlert = (r: Selectable<AlertsTable>): Alert => ({
  ...r,
  kind: r.kind as Alert['kind'],
  status: r.status as Alert['status'],
  window_start: toNum(r.window_start),
  window_end: toNum(r.window_end),
  value: Number(r.value),
  threshold: Number(r.threshold),
  created_at: toNum(r.created_at),
});

const toDecision = (r: Selectable<RetrainDecisionsTable>): RetrainDecision => ({
  ...r,
  trigger_alert_ids: JSON.parse(r.trigger_alert_ids),
  champion: JSON.parse(r.champion),
  challenger: JSON.parse(r.challenger),
  holdout: JSON.parse(r.holdout),
  decision: r.decision as RetrainDecision['decision'],
  created_at: toNum(r.created_at),
});

export class KyselyMonitoringRepository implements MonitoringRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createMonitor(m: Monitor): Promise<void> {
    await conflictsAs(
      () => this.db.insertInto('monitors').values({ ...m, features: JSON.stringify(m.features), baseline: JSON.stringify(m.baseline) }).execute(),
      { name: `a monitor named '${m.name}' already exists in this project` },
    );
  }

  async getMonitor(projectId: string, ref: string): Promise<Monitor | undefined> {
    const row = await this.db
      .selectFrom('monitors')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => (isId(ref) ? eb.or([eb('name', '=', ref), eb('id', '=', ref)]) : eb('name', '=', ref)))
      .executeTakeFirst();
    return row ? toMonitor(row) : undefined;
  }

  async listMonitors(projectId: string, page: PageRequest): Promise<Page<Monitor>> {
    return pageById(
      this.db
        .selectFrom('monitors')
        .selectAll()
        .where('project_id', '=', projectId),
      page,
      toMonitor,
      'asc',
    );
  }

  async updateMonitor(id: string, patch: Partial<Pick<Monitor, 'baseline' | 'reference_dataset_version_id' | 'psi_threshold' | 'tolerance'>>, at: number): Promise<void> {
    const { baseline, ...rest } = patch;
    await this.db
      .updateTable('monitors')
      .set({ ...rest, ...(baseline ? { baseline: JSON.stringify(baseline) } : {}), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async putWindow(w: MonitorWindow): Promise<void> {
    const values = {
      ...w,
      drift: JSON.stringify(w.drift),
      performance: w.performance ? JSON.stringify(w.performance) : null,
      baseline: JSON.stringify(w.baseline),
    };
    await this.db
      .insertInto('monitor_windows')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['monitor_id', 'window_start']).doUpdateSet({
          window_end: values.window_end,
          predictions: values.predictions,
          labelled: values.labelled,
          drift: values.drift,
          performance: values.performance,
          baseline: values.baseline,
          reference_dataset_version_id: values.reference_dataset_version_id,
          created_at: values.created_at,
        }),
      )
      .execute();
  }

  async listWindows(monitorId: string): Promise<MonitorWindow[]> {
    const rows = await this.db.selectFrom('monitor_windows').selectAll().where('monitor_id', '=', monitorId).orderBy('window_start').execute();
    return rows.map(toWindow);
  }

  async createAlert(a: Alert): Promise<void> {
    await this.db.insertInto('alerts').values(a).execute();
  }

  async listAlerts(projectId: string, page: PageRequest, filter: AlertFilter = {}): Promise<Page<Alert>> {
    return pageById(
      this.db
        .selectFrom('alerts')
        .selectAll()
        .where('project_id', '=', projectId)
        .$if(filter.monitorId !== undefined, (q) => q.where('monitor_id', '=', filter.monitorId!))
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
        .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind!))
        .$if(filter.deployment !== undefined, (q) => q.where('deployment', '=', filter.deployment!)),
      page,
      toAlert,
      'desc',
    );
  }

  async setAlertStatus(id: string, status: Alert['status']): Promise<void> {
    await this.db.updateTable('alerts').set({ status }).where('id', '=', id).execute();
  }

  async createDecision(d: RetrainDecision): Promise<void> {
    await this.db
      .insertInto('retrain_decisions')
      .values({
        ...d,
        trigger_alert_ids: JSON.stringify(d.trigger_alert_ids),
        champion: JSON.stringify(d.champion),
        challenger: JSON.stringify(d.challenger),
        holdout: JSON.stringify(d.holdout),
      })
      .execute();
  }

  async listDecisions(projectId: string, page: PageRequest): Promise<Page<RetrainDecision>> {
    return pageById(
      this.db
        .selectFrom('retrain_decisions')
        .selectAll()
        .where('project_id', '=', projectId),
      page,
      toDecision,
      'desc',
    );
  }
}
