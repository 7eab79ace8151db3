import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCert {
  certFile: string;
  keyFile: string;
  /** The PEM text of the certificate: a client's `ca` to trust it. */
  cert: string;
  key: string;
  fingerprint: string;
}

/**
 * A self-signed certificate made by the real openssl (apt), as mkcert or `tailscale cert`
 * would hand a user one: `names` go into subjectAltName (IPs as IP:, the rest as DNS:).
 */
export function makeCert(dir: string, names: string[], base = 'gw'): TestCert {
  const certFile = join(dir, `${base}-cert.pem`);
  const keyFile = join(dir, `${base}-key.pem`);
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${names[0] ?? 'portcullis-test'}`, '-addext', `subjectAltName=${san}`],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certFile, 'utf8');
  return { certFile, keyFile, cert, key: readFileSync(keyFile, 'utf8'), fingerprint: new X509Certificate(cert).fingerprint256 };
}
