import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { TlsView } from '../contract/exposure.js';
import { PortcullisError } from '../errors.js';

/** Where the gateway's certificate and key are (settings keep these paths, never the key). */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A certificate and key read and checked: what an HTTPS listener is given. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** DNS names and IP addresses from its subjectAltName (wildcards left out: no URL can use one). */
  names: string[];
  validTo: Date;
  /** The files' modification times when read: a renewal changes them. */
  stamp: string;
}

/** The files' modification times, to notice a renewal without reading the key again. */
export function tlsStamp(files: TlsFiles): string {
  return `${statSync(files.certFile).mtimeMs}:${statSync(files.keyFile).mtimeMs}`;
}

function readPem(path: string, what: 'certificate' | 'key'): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PortcullisError('invalid_args', `the TLS ${what} file ${path} cannot be read (${code}): check the path and that Portcullis may read it`, 'tls');
  }
}

/**
 * Reads and checks the pair: the certificate parses, has not expired, and the key belongs to
 * it. Errors name the file and what to do, and never quote the files' contents (the key is a
 * secret; OpenSSL's own messages do not carry it either).
 */
export function loadTls(files: TlsFiles, now = new Date()): TlsMaterial {
  const cert = readPem(files.certFile, 'certificate');
  const key = readPem(files.keyFile, 'key');
  const stamp = tlsStamp(files);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new PortcullisError('invalid_args', `${files.certFile} is not a PEM certificate: give the certificate file (often fullchain.pem or cert.pem)`, 'tls');
  }
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() <= now.getTime()) {
    throw new PortcullisError('invalid_args', `the certificate in ${files.certFile} expired on ${validTo.toISOString()}: renew it, then set it again`, 'tls');
  }
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const mismatch = code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /KEY_VALUES_MISMATCH/.test(code);
    throw new PortcullisError(
      'invalid_args',
      mismatch
        ? `the key in ${files.keyFile} does not belong to the certificate in ${files.certFile}: give the key it was issued for`
        : `${files.keyFile} is not a usable private key (${code || 'unreadable'}): give the PEM key file (often privkey.pem or key.pem), unencrypted`,
      'tls',
    );
  }
  return { cert, key, names: subjectNames(x509), validTo, stamp };
}

/** "DNS:a.example, IP Address:10.0.0.5" → ["a.example", "10.0.0.5"]. */
function subjectNames(x509: X509Certificate): string[] {
  const names: string[] = [];
  for (const part of (x509.subjectAltName ?? '').split(',')) {
    const [kind, value] = part.trim().split(':', 2).map((s) => s.trim()) as [string, string | undefined];
    if (!value) continue;
    if (kind === 'DNS' && !value.includes('*')) names.push(value.toLowerCase());
    // IPv6 addresses keep their colons: take everything after the first one.
    else if (kind === 'IP Address') names.push(canonicalIp(part.trim().slice(part.trim().indexOf(':') + 1).trim()));
  }
  return [...new Set(names)];
}

/** OpenSSL spells IPv6 in full (0:0:0:0:0:0:0:1); listeners and URLs use the short form (::1). */
function canonicalIp(address: string): string {
  return isIPv6(address) ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/** What the settings view says of the configured files: usable, or why not. */
export function describeTls(files: TlsFiles | null): TlsView | null {
  if (!files) return null;
  try {
    const m = loadTls(files);
    return { ...files, names: m.names, validTo: m.validTo.toISOString(), problem: null };
  } catch (err) {
    return { ...files, names: [], validTo: null, problem: (err as Error).message };
  }
}
