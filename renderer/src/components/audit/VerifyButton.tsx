import { Alert, Button, Stack } from '@mantine/core';
import { useState } from 'react';
import type { AuditVerifyReport } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { errorMessage } from '../../util/format';

export function VerifyResult({ report }: { report: AuditVerifyReport }) {
  const head = report.head.checked ? `the keychain's head hash matches at record ${report.head.seq}` : `the head hash was not checked: ${report.head.why}`;
  return report.ok ? (
    <Alert color="green" title="The journal is intact" data-testid="verify-result">
      {report.records.toLocaleString()} records in {report.files} files, each chained to the one before; {head}.
    </Alert>
  ) : (
    <Alert color="red" title="The journal has been altered or damaged" data-testid="verify-result">
      {report.problem ? `${report.problem.message} (${report.problem.file}, line ${report.problem.line}).` : 'A check failed.'} Records after that point
      cannot be trusted; keep a copy of {report.dir} for investigation.
    </Alert>
  );
}

export function useVerify(): { busy: boolean; report: AuditVerifyReport | null; error: string | null; run: () => void } {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    report,
    error,
    run: () => {
      setBusy(true);
      setError(null);
      api
        .call('audit.verify', {})
        .then(setReport)
        .catch((err: unknown) => setError(errorMessage(err)))
        .finally(() => setBusy(false));
    },
  };
}

export function VerifyButton({ busy, run }: { busy: boolean; run: () => void }) {
  return (
    <Button variant="default" loading={busy} onClick={run}>
      Verify integrity
    </Button>
  );
}

export function VerifyOutcome({ report, error }: { report: AuditVerifyReport | null; error: string | null }) {
  if (!report && !error) return null;
  return (
    <Stack gap={0}>
      {error ? (
        <Alert color="red" title="Could not verify">
          {error}
        </Alert>
      ) : (
        report && <VerifyResult report={report} />
      )}
    </Stack>
  );
}
