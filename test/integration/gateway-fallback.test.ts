/**
 * The gateway's escape hatch, whole: the request-pipeline suites again, served by node:http
 * (PORTCULLIS_GATEWAY_HTTP=node, what also runs where Node's parser is out of reach), so the
 * fallback engine is held to every rule the lean one is, not only to gateway-http1's key cases.
 */
import { expect, it } from 'vitest';
import { http1Engine } from '../../main/core/gateway/http1/server.js';

process.env.PORTCULLIS_GATEWAY_HTTP = 'node';

it('serves these suites with node:http', () => {
  expect(http1Engine()).toBe('node:http');
});

await import('./gateway-auth.test.js');
await import('./gateway-limits.test.js');
await import('./gateway-streams.test.js');
await import('./gateway-tls.test.js');
