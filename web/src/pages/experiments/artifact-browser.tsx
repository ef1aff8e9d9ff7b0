// A run's artifacts: folders to open (with a path back up), files with their size and a download
// link (served as an attachment, never shown inline).
import { useState } from 'react';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { useAsync } from '../../use-async.js';

function size(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ArtifactBrowser({ project, run }: { project: string; run: string }) {
  const [dir, setDir] = useState('');
  const list = useAsync(() => client.listRunArtifacts({ params: { project, run }, query: { path: dir || undefined } }), [project, run, dir]);
  const parts = dir ? dir.split('/') : [];
  const download = (path: string) => `/api/v1/projects/${encodeURIComponent(project)}/runs/${encodeURIComponent(run)}/artifact?path=${encodeURIComponent(path)}`;
  return (
    <div className="artifact-browser" data-testid="artifact-browser" aria-busy={list.loading}>
      <ErrorBanner error={list.error} />
      <nav className="small artifact-path" aria-label="Artifact folder">
        <button type="button" className="btn-link" onClick={() => setDir('')}>
          artifacts
        </button>
        {parts.map((p, i) => (
          <span key={i}>
            /
            <button type="button" className="btn-link" onClick={() => setDir(parts.slice(0, i + 1).join('/'))}>
              {p}
            </button>
          </span>
        ))}
      </nav>
      {list.data && list.data.items.length === 0 && <p className="muted">{dir ? 'This folder is empty.' : 'No artifacts. MLflow clients upload them with mlflow.log_artifact().'}</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Artifacts">
            <tbody>
              {list.data.items.map((f) => {
                const name = f.path.slice(f.path.lastIndexOf('/') + 1);
                return (
                  <tr key={f.path}>
                    <td>
                      {f.is_dir ? (
                        <button type="button" className="btn-link" onClick={() => setDir(f.path)}>
                          {name}/
                        </button>
                      ) : (
                        <a href={download(f.path)} download={name}>
                          {name}
                        </a>
                      )}
                    </td>
                    <td className="num small muted">{f.is_dir ? 'folder' : size(f.file_size)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
