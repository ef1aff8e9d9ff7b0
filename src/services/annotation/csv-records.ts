// A small RFC 4180 CSV reader and writer for labelling results: a header row naming the columns,
// then one record per row; fields may be quoted ("a, b"), with "" for a quote inside, and quoted
// fields may span lines. Each record keeps the line it starts on, so problems can name it.
import { ValidationError } from '../../domain/errors.js';

export interface CsvRecord {
  /** 1-based data row (the header is row 0) and the line of the file it starts on. */
  row: number;
  line: number;
  values: Record<string, string>;
}

/**
 * Read CSV text into records keyed by the header's column names; blank lines are skipped.
 * ValidationError (naming the line) for an unterminated quote, a ragged row, an empty or
 * header-only file, or a header with an empty or repeated column name.
 * @example readCsv('task_id,label\nt1,rain\n') // [{ row: 1, line: 2, values: { task_id: 't1', label: 'rain' } }]
 */
export function readCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const raw: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let quoteLine = 1;
  const end = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) raw.push({ line: startLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      end();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      startLine = line;
    } else field += ch;
  }
  if (quoted) throw new ValidationError(`line ${quoteLine}: a quoted field is never closed`, { field: 'body', line: quoteLine });
  if (field !== '' || fields.length > 0) end();
  if (raw.length === 0) throw new ValidationError('the CSV is empty: send a header row and at least one row', { field: 'body' });
  const header = raw[0].fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') throw new ValidationError(`line 1: column ${i + 1} of the header has no name`, { field: 'header', line: 1 });
    if (seen.has(h)) throw new ValidationError(`line 1: the header names column '${h}' twice`, { field: h, line: 1 });
    seen.add(h);
  });
  if (raw.length === 1) throw new ValidationError('the CSV has a header but no rows', { field: 'body' });
  const records = raw.slice(1).map((r, k) => {
    if (r.fields.length !== header.length) {
      throw new ValidationError(`row ${k + 1} (line ${r.line}) has ${r.fields.length} fields but the header names ${header.length} columns`, { field: 'body', row: k + 1, line: r.line });
    }
    return { row: k + 1, line: r.line, values: Object.fromEntries(header.map((h, i) => [h, r.fields[i]])) };
  });
  return { header, records };
}

/** One CSV field, quoted when it holds a comma, quote, line break or leading/trailing space. */
export function csvField(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text of a header and rows (each row keyed by column; missing cells are empty). */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) lines.push(header.map((h) => csvField(r[h] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
