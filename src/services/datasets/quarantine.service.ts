// Browsing a version's quarantine: pages of rows by line, filtered by rule (exact id or prefix),
// each marked with the version it was re-admitted into, and the counts per rule for filter chips.
// The quarantine file itself is immutable; re-admits are marks in the metadata store.
import { ruleFilterOf, type QuarantineSummary } from '../../domain/dataset-curation.js';
import type { QuarantineRow } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { DataEngine } from '../../domain/ports/data-engine.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import { engineOf, type DatasetsService } from './datasets.service.js';

export type QuarantineItem = QuarantineRow & { readmitted: { version: number; version_id: string } | null };

/** Cursors are the last line shown, base64url (the same as DatasetsService.quarantine's). */
function encodeLine(line: number): string {
  return Buffer.from(String(line), 'utf8').toString('base64url');
}

function decodeLine(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 1 || encodeLine(n) !== cursor) throw new ValidationError('invalid page cursor', { field: 'cursor' });
  return n;
}

export class DatasetQuarantineService {
  constructor(
    private readonly deps: { store: MetadataStore; artifacts: ArtifactStore; engine?: DataEngine },
    private readonly datasets: DatasetsService,
  ) {}

  private get engine(): DataEngine {
    return engineOf(this.deps);
  }

  /**
   * A page of quarantined rows by line, of one rule or rule prefix when `rule` is given.
   * @example await quarantine.page(access, 'weather', 1, { rule: 'temp_max.', limit: 50 })
   */
  async page(access: ProjectAccess, ref: string, version: number | 'latest', query: PageRequest & { rule?: string }): Promise<Page<QuarantineItem>> {
    const v = await this.datasets.getVersion(access, ref, version);
    const limit = pageLimit(query.limit);
    const afterLine = decodeLine(query.cursor);
    const rule = ruleFilterOf(query.rule);
    if (!v.quarantine_file) return { items: [], next_cursor: null };
    const file = await this.deps.artifacts.localPath(v.quarantine_file.sha256);
    const rows = await this.engine.readQuarantine(file, { afterLine, limit: limit + 1, rule });
    const shown = rows.slice(0, limit);
    const marks = new Map((await this.deps.store.datasetReadmits.getLines(v.id, shown.map((r) => r.line))).map((m) => [m.line, m]));
    const items = shown.map((r) => {
      const m = marks.get(r.line);
      return { ...r, readmitted: m ? { version: m.version, version_id: m.version_id } : null };
    });
    return { items, next_cursor: rows.length > limit ? encodeLine(items[limit - 1].line) : null };
  }

  /** Quarantined rows per rule (most first) and how many of each were re-admitted. */
  async summary(access: ProjectAccess, ref: string, version: number | 'latest'): Promise<QuarantineSummary> {
    const v = await this.datasets.getVersion(access, ref, version);
    if (!v.quarantine_file) return { total: 0, readmitted: 0, rules: [] };
    const file = await this.deps.artifacts.localPath(v.quarantine_file.sha256);
    const [counts, readmitted] = await Promise.all([
      this.engine.query('SELECT rule, count(*) AS n FROM data GROUP BY rule ORDER BY n DESC, rule', [], [file]),
      this.deps.store.datasetReadmits.countByRule(v.id),
    ]);
    const rules = counts.map((c) => ({ rule: String(c.rule), rows: Number(c.n), readmitted: readmitted[String(c.rule)] ?? 0 }));
    return { total: rules.reduce((n, r) => n + r.rows, 0), readmitted: rules.reduce((n, r) => n + r.readmitted, 0), rules };
  }
}
