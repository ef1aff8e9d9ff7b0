// The progress of a file upload: a bar with bytes sent of the total and the percentage, then a
// note while the server reads, cleanses and profiles the rows.
import { formatBytes } from './numbers.js';
import './dataset-charts.css';

export interface UploadState {
  sent: number;
  total: number;
  /** True once the server has answered (the version exists, or the upload failed). */
  finished: boolean;
}

export function UploadProgress({ state }: { state: UploadState }) {
  const { sent, total, finished } = state;
  const percent = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 100;
  const text = `${formatBytes(Math.min(sent, total))} / ${formatBytes(total)} · ${percent}%`;
  const note = percent < 100 ? 'Uploading…' : finished ? 'Uploaded.' : 'Uploaded; the server is reading, cleansing and profiling the rows…';
  return (
    <div className="upload-progress" data-testid="upload-progress">
      <div className="progress" role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={text}>
        <span className="progress-track">
          <span className="progress-fill" style={{ width: `${percent}%` }} />
        </span>
        <span className="progress-text">{text}</span>
      </div>
      <span className="small muted" aria-live="polite">
        {note}
      </span>
    </div>
  );
}
