// A model version's card (#/projects/P/models/M/versions/N/card): the HTML card in a sandboxed
// iframe (no scripts, no same-origin) or the Markdown as preformatted text, download links, and —
// for callers with model.write — a form for the model's hand-written card fields.
import { useState } from 'react';
import { api, type ProjectView } from '../../../../src/contracts/index.js';
import { buildUrl } from '../../../../src/client/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { CardFieldsForm } from './card-fields-form.js';

type Format = 'html' | 'markdown';

export function ModelCardPage({ project, model, version }: { project: ProjectView; model: string; version: number }) {
  const name = project.name;
  const canWrite = project.my_actions.includes('model.write');
  const [format, setFormat] = useState<Format>('html');
  const [reloadKey, setReloadKey] = useState(0);
  const card = useAsync(
    () => client.text(api.getModelCard, { params: { project: name, model, version }, query: { format } }),
    [name, model, version, format, reloadKey],
  );
  const url = (f: Format) => buildUrl(api.getModelCard.path, { project: name, model, version }, { format: f });

  return (
    <section aria-labelledby="card-title">
      <div className="crumbs">
        <a href={href('projects', name, 'models')}>Models</a> / <a href={href('projects', name, 'models', model)}>{model}</a> / <span>v{version} card</span>
      </div>
      <h2 id="card-title">
        Model card: {model} v{version}
      </h2>
      <p className="lead">
        Generated from the registry: lineage, metrics, gate report, aliases and retraining decisions, with the fields people fill in. Also from the CLI:{' '}
        <code>
          flywheel models card {model} {version} --html
        </code>
        .
      </p>
      <div className="toolbar" role="group" aria-label="Card format">
        <button type="button" className="btn-small" aria-pressed={format === 'html'} onClick={() => setFormat('html')}>
          HTML
        </button>{' '}
        <button type="button" className="btn-small" aria-pressed={format === 'markdown'} onClick={() => setFormat('markdown')}>
          Markdown
        </button>{' '}
        <a href={url('markdown')} download={`${model}-v${version}-card.md`}>
          Download Markdown
        </a>{' '}
        ·{' '}
        <a href={url('html')} download={`${model}-v${version}-card.html`}>
          Download HTML
        </a>
      </div>
      <ErrorBanner error={card.error} />
      {card.data === undefined ? (
        <p className="muted">{card.loading ? 'Loading the card…' : null}</p>
      ) : format === 'html' ? (
        <iframe title={`Model card of ${model} v${version}`} data-testid="model-card-frame" sandbox="" srcDoc={card.data} style={{ width: '100%', height: '70vh', border: '1px solid #d0d5dd' }} />
      ) : (
        <pre data-testid="model-card-markdown" style={{ whiteSpace: 'pre-wrap' }}>
          {card.data}
        </pre>
      )}
      {canWrite ? (
        <>
          <h3>Card fields</h3>
          <CardFieldsForm project={name} model={model} onSaved={() => setReloadKey((k) => k + 1)} />
        </>
      ) : null}
    </section>
  );
}
