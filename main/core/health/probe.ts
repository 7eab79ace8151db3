import { request } from 'node:http';

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  /** The failure, or the server's own status word when it reports one. */
  detail: string | null;
  version: string | null;
  /** picochat web reports active_jobs; picochat serve and vLLM name their model. */
  activeJobs: number | null;
  model: string | null;
}

type Judged = Omit<ProbeResult, 'latencyMs'>;

const MAX_BODY = 64 * 1024;
const failure = (detail: string): Judged => ({ ok: false, detail, version: null, activeJobs: null, model: null });

/**
 * One GET of the server's health path on loopback. A 2xx answer is healthy unless its JSON
 * body says otherwise (`status: "error"`); palinode's `degraded` still counts as up.
 */
export function probe(port: number, path: string, timeoutMs: number, host = '127.0.0.1'): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Judged): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...result, latencyMs: elapsed() });
    };
    const req = request({ host, port, path, method: 'GET', agent: false, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      res.on('end', () => finish(judge(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', (err) => finish(failure(err.message)));
    });
    const timer = setTimeout(() => finish(failure(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish(failure(err.code === 'ECONNREFUSED' ? 'connection refused' : err.message)));
    req.end();
  });
}

export function judge(status: number, body: string): Judged {
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // Not every health endpoint answers JSON.
  }
  const word = typeof json?.status === 'string' ? json.status : null;
  const version = typeof json?.version === 'string' ? json.version : null;
  const activeJobs = typeof json?.active_jobs === 'number' ? json.active_jobs : null;
  const model = typeof json?.model === 'string' ? json.model : null;
  const facts = { version, activeJobs, model };
  if (status < 200 || status >= 300) return { ok: false, detail: `HTTP ${status}`, ...facts };
  if (word && /^(error|fail|failed|unhealthy|down)$/i.test(word)) return { ok: false, detail: word, ...facts };
  return { ok: true, detail: word, ...facts };
}
