// Ports of monitoring: monitors, their window results, alerts and retraining decisions.
import type { Alert, Monitor, MonitorWindow, RetrainDecision } from '../monitoring.js';
import type { Page, PageRequest } from '../pagination.js';

export interface AlertFilter {
  monitorId?: string;
  status?: Alert['status'];
  kind?: Alert['kind'];
  /** Serving alerts of one deployment (by name). */
  deployment?: string;
}

export interface MonitoringRepository {
  createMonitor(m: Monitor): Promise<void>;
  /** By name or id within the project. */
  getMonitor(projectId: string, ref: string): Promise<Monitor | undefined>;
  listMonitors(projectId: string, page: PageRequest): Promise<Page<Monitor>>;
  updateMonitor(id: string, patch: Partial<Pick<Monitor, 'baseline' | 'reference_dataset_version_id' | 'psi_threshold' | 'tolerance'>>, at: number): Promise<void>;
  /** Insert or replace the result of one window (unique per monitor and window start). */
  putWindow(w: MonitorWindow): Promise<void>;
  /** Oldest window first. */
  listWindows(monitorId: string): Promise<MonitorWindow[]>;
  createAlert(a: Alert): Promise<void>;
  /** Newest first. */
  listAlerts(projectId: string, page: PageRequest, filter?: AlertFilter): Promise<Page<Alert>>;
  setAlertStatus(id: string, status: Alert['status']): Promise<void>;
  createDecision(d: RetrainDecision): Promise<void>;
  /** Newest first. */
  listDecisions(projectId: string, page: PageRequest): Promise<Page<RetrainDecision>>;
}
