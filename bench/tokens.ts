/**
 * `npm run bench:tokens`: what a token check costs the gateway, measured side by side in one
 * run. The baseline is the irreducible part — one SHA-256 of the presented token — and each
 * row is TokenRegistry.verify with N tokens on the server (all compared in constant time),
 * for a right and a wrong token. Prints checks/s and the ratio to the baseline.
 */
import { createHash } from 'node:crypto';
import { activeTokenRecord, type ClientTokenRecord } from '../main/core/secrets/records.js';
import { TokenRegistry } from '../main/core/secrets/token-registry.js';
import { newSecret } from '../main/core/secrets/token-format.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200_000);

function rate(fn: () => void): number {
  for (let i = 0; i < 2_000; i++) fn(); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return ROUNDS / seconds;
}

function registryWith(count: number): { registry: TokenRegistry; right: string } {
  const registry = new TokenRegistry();
  const records: ClientTokenRecord[] = [];
  let right = '';
  for (let i = 0; i < count; i++) {
    const secret = newSecret();
    right = secret;
    records.push(activeTokenRecord({ id: i.toString(16).padStart(10, '0'), serverId: 'srv', label: `t${i}`, secret }));
  }
  registry.put(records);
  return { registry, right };
}

const presented = newSecret();
const baseline = rate(() => createHash('sha256').update(presented).digest());
console.log(`baseline: one SHA-256 of the presented token   ${Math.round(baseline).toLocaleString('en')} /s`);
console.log('tokens  right token /s    ratio   wrong token /s    ratio');
for (const count of [1, 10, 100, 1000]) {
  const { registry, right } = registryWith(count);
  const ok = rate(() => registry.verify('srv', right));
  const bad = rate(() => registry.verify('srv', presented));
  console.log(
    `${String(count).padStart(6)}  ${Math.round(ok).toLocaleString('en').padStart(14)}  ${(ok / baseline).toFixed(2).padStart(6)}  ${Math.round(bad).toLocaleString('en').padStart(15)}  ${(bad / baseline).toFixed(2).padStart(6)}`,
  );
  registry.close();
}
