// The file format of an HTTP(S) source, for the new-source and edit forms alike.
import { Field } from '../../field.js';

export type SourceFormat = 'auto' | 'csv' | 'jsonl' | 'parquet';

export function SourceFormatField({ value, onChange, error }: { value: SourceFormat; onChange: (format: SourceFormat) => void; error?: string }) {
  return (
    <Field label="File format" error={error}>
      <select value={value} onChange={(e) => onChange(e.target.value as SourceFormat)}>
        <option value="auto">From the name or Content-Type</option>
        <option value="csv">CSV</option>
        <option value="jsonl">JSON Lines</option>
        <option value="parquet">Parquet</option>
      </select>
    </Field>
  );
}
