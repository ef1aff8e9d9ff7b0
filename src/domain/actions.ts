// Every action a caller can be allowed or denied. The matrix that decides them lives in
// src/services/access/permissions.ts; each API endpoint names the action it needs.

export const PROJECT_ACTIONS = [
  'project.read',
  'project.update',
  'member.read',
  'member.manage',
  'audit.read',
  'job.read',
  'job.cancel',
  'secret.read',
  'secret.write',
  'dataset.read',
  'dataset.write',
  'labelling.read',
  'labelling.manage',
  'labelling.annotate',
  'labelling.review',
  'experiment.read',
  'experiment.write',
  /** Run a trainer command (any program) on a worker; the server must also allow it (FLYWHEEL_ALLOW_COMMANDS). */
  'experiment.command',
  'model.read',
  'model.write',
  'model.promote',
  /** Evaluate a version against the project's KPI gate and record the report. */
  'model.validate',
  /** Make a version champion although it failed its KPI gate (with a reason; audited). */
  'model.gate-override',
  'deployment.read',
  'deployment.write',
  /** Call a deployment's serving URL (each call is written to the prediction log). */
  'deployment.predict',
  'monitor.read',
  'monitor.write',
  'pipeline.read',
  'pipeline.write',
  'policy.write',
  'approval.sign',
] as const;
export type ProjectAction = (typeof PROJECT_ACTIONS)[number];

export const INSTANCE_ACTIONS = ['instance.admin', 'project.create'] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

export type Action = ProjectAction | InstanceAction;
