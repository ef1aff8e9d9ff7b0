// A small RFC 4180 CSV reader for MLflow scoring's text/csv bodies: a header row naming the
// columns, then one row per line; fields may be quoted ("a, b"), with "" for a quote inside.
import { ValidationError } from '../../domain/errors.js';

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Split CSV text into a header and rows of raw strings; blank lines are skipped. */
export function parseCsv(text: string): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (quoted) throw new ValidationError('the CSV body has an unterminated quoted field', { field: 'csv' });
  if (field !== '' || record.length > 0) endRecord();
  if (records.length === 0) throw new ValidationError('the CSV body is empty: send a header row and at least one row', { field: 'csv' });
  const [header, ...rows] = records;
  rows.forEach((r, k) => {
    if (r.length !== header.length) throw new ValidationError(`csv line ${k + 2} has ${r.length} fields but the header names ${header.length} columns`, { field: 'csv' });
  });
  return { header: header.map((h) => h.trim()), rows };
}
