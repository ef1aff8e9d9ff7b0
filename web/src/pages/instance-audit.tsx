// The instance-wide audit log (admin), with a check of the hash chain.
import { useState } from 'react';
import type { AuditVerification } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { ErrorBanner } from '../error-banner.js';
import { useAction } from '../use-action.js';
import { AuditList } from './audit-list.js';

function VerifyResult({ result }: { result: AuditVerification }) {
  if (result.ok)
    return (
      <div className="banner banner-ok" role="status" data-testid="audit-verify">
        The chain is intact: {result.checked} events checked.
      </div>
    );
  return (
    <div className="banner banner-error" role="alert" data-testid="audit-verify">
      The chain is broken at event #{result.broken_at ?? '?'}: {result.reason ?? 'unknown reason'} ({result.checked} events
      checked).
    </div>
  );
}

export function InstanceAuditPage() {
  const [result, setResult] = useState<AuditVerification>();
  const [reloadKey, setReloadKey] = useState(0);
  const verify = useAction(async () => {
    setResult(await client.verifyAudit());
    setReloadKey((k) => k + 1);
  });

  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <button type="button" onClick={() => void verify.run()} disabled={verify.busy}>
          {verify.busy ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      <p className="lead">Every operation on the instance, newest first. Each event carries the hash of the one before it.</p>
      <ErrorBanner error={verify.error} />
      {result && <VerifyResult result={result} />}
      <AuditList
        testId="audit-list"
        reloadKey={reloadKey}
        loader={(cursor) => client.listAudit({ query: { cursor: cursor ?? undefined } })}
      />
    </div>
  );
}
