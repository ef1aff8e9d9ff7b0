// The eight stages of the loop as the project page shows them: what each is, where it lives,
// and its headline count and latest state read from GET …/loop (zeros and "nothing yet" when empty).
import type { LoopView } from '../../../../src/contracts/index.js';
import { count, fmt3, metricName, monthLabel, prettyOps } from './metric-format.js';

export interface StageSummary {
  id: 'collect' | 'cleanse' | 'annotate' | 'train' | 'validate' | 'deploy' | 'monitor' | 'retrain';
  stage: string;
  section: string;
  text: string;
  /** The stage's headline number (0 when nothing has happened there yet). */
  total: number;
  /** The counts line, e.g. '2 versions · 1,702 rows'. */
  counts?: string;
  /** The latest state, e.g. 'latest seattle-weather v2: 971 accepted / 0 quarantined'. */
  latest?: string;
  /** A short status chip, e.g. '3 open alerts' (tone: good, warn, bad). */
  status?: { text: string; tone: 'good' | 'warn' | 'bad' | 'info' };
}

type StageBase = Pick<StageSummary, 'id' | 'stage' | 'section' | 'text'>;

const STAGES: StageBase[] = [
  { id: 'collect', stage: 'Collect', section: 'datasets', text: 'Ingest files and sources into versioned datasets.' },
  { id: 'cleanse', stage: 'Cleanse', section: 'datasets', text: 'Rules, profiles and a quarantine for bad rows.' },
  { id: 'annotate', stage: 'Annotate', section: 'labelling', text: 'Labelling jobs with review and agreement.' },
  { id: 'train', stage: 'Train', section: 'experiments', text: 'Runs with parameters, metrics and artifacts.' },
  { id: 'validate', stage: 'Validate', section: 'experiments', text: 'Holdout metrics gated on the project’s KPIs.' },
  { id: 'deploy', stage: 'Deploy', section: 'deployments', text: 'Serve ONNX models; every prediction is logged.' },
  { id: 'monitor', stage: 'Monitor', section: 'monitoring', text: 'Drift and performance on the prediction log.' },
  { id: 'retrain', stage: 'Retrain', section: 'models', text: 'Challengers replace the champion only when better.' },
];

/** The main metrics of a run, e.g. 'accuracy 0.600, macro-F1 0.345'. */
function headline(metrics: Record<string, number>): string {
  return ['accuracy', 'macro_f1']
    .filter((k) => metrics[k] !== undefined)
    .map((k) => `${metricName(k)} ${fmt3(metrics[k])}`)
    .join(', ');
}

function facts(id: StageSummary['id'], loop: LoopView): Omit<StageSummary, keyof StageBase> {
  switch (id) {
    case 'collect': {
      const c = loop.collect;
      return {
        total: c.versions,
        counts: `${count(c.versions, 'version')} · ${count(c.rows, 'row')}`,
        latest: c.latest ? `latest ${c.latest.dataset} v${c.latest.version}: ${c.latest.accepted.toLocaleString()} accepted / ${c.latest.quarantined.toLocaleString()} quarantined` : undefined,
      };
    }
    case 'cleanse': {
      const c = loop.cleanse;
      const rules = Object.entries(c.by_rule).sort((a, b) => b[1] - a[1]);
      return {
        total: c.rows_read,
        counts: `${count(c.rows_read, 'row')} read · ${c.accepted.toLocaleString()} accepted · ${c.quarantined.toLocaleString()} quarantined`,
        latest: rules.length ? `quarantined by ${rules.map(([r, n]) => `${r} (${n})`).join(', ')}` : c.rows_read ? 'no row quarantined' : undefined,
      };
    }
    case 'annotate': {
      const a = loop.annotate;
      const share = a.tasks ? ` (${Math.round((100 * a.resolved) / a.tasks)}%)` : '';
      return {
        total: a.tasks,
        counts: `${count(a.jobs, 'job')} · ${count(a.tasks, 'task')}`,
        latest: a.tasks ? `${a.resolved.toLocaleString()} resolved${share}, ${count(a.labels, 'label')}` : undefined,
      };
    }
    case 'train': {
      const t = loop.train;
      const m = t.latest ? headline(t.latest.metrics) : '';
      return { total: t.runs, counts: count(t.runs, 'run'), latest: t.latest ? `latest ${t.latest.status}${m ? `: ${m}` : ''}` : undefined };
    }
    case 'validate': {
      const v = loop.validate;
      return {
        total: v.passed + v.failed,
        counts: `${v.passed.toLocaleString()} passed · ${v.failed.toLocaleString()} failed`,
        latest: v.latest ? `gate ${prettyOps(v.latest.summary)}` : undefined,
        status: v.latest ? { text: v.latest.passed ? 'gate passed' : 'gate failed', tone: v.latest.passed ? 'good' : 'bad' } : undefined,
      };
    }
    case 'deploy': {
      const d = loop.deploy;
      return {
        total: d.deployments,
        counts: `${count(d.deployments, 'deployment')} · ${count(d.predictions_logged, 'prediction')} logged`,
        latest: d.serving.length ? d.serving.map((s) => `${s.deployment} → ${s.model}${s.version === null ? '' : ` v${s.version}`}`).join('; ') : undefined,
      };
    }
    case 'monitor': {
      const m = loop.monitor;
      const w = m.latest_window;
      const worst = w ? Object.entries(w.drift).sort((a, b) => b[1] - a[1])[0] : undefined;
      const parts = w ? [w.performance ? headline(w.performance) : 'no labels', worst ? `max PSI ${worst[0]} ${fmt3(worst[1])}` : ''].filter(Boolean) : [];
      return {
        total: m.windows,
        counts: `${count(m.windows, 'window')} · ${count(m.open_alerts, 'open alert')}`,
        latest: w ? `${monthLabel(w.window_start)}: ${parts.join('; ')}` : undefined,
        status: m.monitors ? (m.open_alerts ? { text: 'alerting', tone: 'warn' } : { text: 'no open alerts', tone: 'good' }) : undefined,
      };
    }
    case 'retrain': {
      const r = loop.retrain;
      return {
        total: r.decisions,
        counts: `${count(r.promotions, 'promotion')} of ${count(r.decisions, 'decision')}`,
        latest: r.latest ? r.latest.reason : undefined,
        status: r.latest ? { text: r.latest.decision === 'promoted' ? 'promoted' : 'kept champion', tone: r.latest.decision === 'promoted' ? 'good' : 'info' } : undefined,
      };
    }
  }
}

/** Every stage, with its facts when the loop has loaded (without them while it loads). */
export function loopStages(loop: LoopView | undefined): StageSummary[] {
  return STAGES.map((s) => (loop ? { ...s, ...facts(s.id, loop) } : { ...s, total: 0 }));
}
