import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../main/core/servers/redact.js';

describe('log redaction', () => {
  it.each([
    ['picochat web URL', 'picochat web on http://127.0.0.1:8765/?token=AbC123_-xyz', `picochat web on http://127.0.0.1:8765/?token=${REDACTED}`],
    ['Jupyter URL', '    http://127.0.0.1:8888/tree?token=0f3e9a8b7c6d5e4f&x=1', `    http://127.0.0.1:8888/tree?token=${REDACTED}&x=1`],
    ['picochat serve key', 'API key: sk-pico-5f2e1d', `API key: ${REDACTED}`],
    ['quoted key', 'api_key="abcdef123456"', `api_key=${REDACTED}"`],
    ['Authorization echo', 'sending Authorization: Bearer eyJhbGciOi.x.y', `sending Authorization: Bearer ${REDACTED}`],
    ['Jupyter header', 'Authorization: token 0123456789', `Authorization: token ${REDACTED}`],
    ['env echo', 'JUPYTER_TOKEN=topsecret123 set', `JUPYTER_TOKEN=${REDACTED} set`],
  ])('%s', (_what, line, expected) => {
    expect(redact(line, [])).toBe(expected);
  });

  it('replaces every known secret wherever it stands, however often', () => {
    const secret = 'kx9-Q2w_e4R5t6Y7';
    expect(redact(`a ${secret} b ${secret}c`, [secret])).toBe(`a ${REDACTED} b ${REDACTED}c`);
  });

  it('replaces a Portcullis client token by its prefix, even one it does not hold in memory', () => {
    const token = `pcs_${'A1b2_C3d-'.repeat(4)}abcdefg`;
    expect(token).toHaveLength(47);
    expect(redact(`client sent ${token} upstream`, [])).toBe(`client sent ${REDACTED} upstream`);
  });

  it('leaves ordinary lines and very short "secrets" alone', () => {
    expect(redact('epoch 3/10 loss=0.1234 tokens/s=5000', ['abc'])).toBe('epoch 3/10 loss=0.1234 tokens/s=5000');
    expect(redact('max_tokens=256 in the request', [])).toBe('max_tokens=256 in the request');
  });
});
