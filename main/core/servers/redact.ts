/** What every redacted secret becomes, wherever the line goes next. */
export const REDACTED = '‹redacted›';

/**
 * Tokens servers print about themselves: picochat's and Jupyter's `?token=…` URLs (also
 * `&token=`), picochat serve's `API key: …` line, and `Authorization: Bearer …`/`token …`
 * echoes. Only the secret part is replaced, so the line still says what happened.
 */
const PRINTED: readonly RegExp[] = [
  /([?&](?:token|portcullis_token|api_key|access_token)=)[^&\s"'#<>]+/gi,
  /(\bAPI[ _-]?key\s*[:=]\s*)["']?[^\s"']+/gi,
  /(\bAuthorization\s*[:=]\s*(?:Bearer|token)\s+)[^\s"']+/gi,
  /(\b(?:JUPYTER_TOKEN|PICOCHAT_AUTH_TOKEN|PICOCHAT_API_KEY|PALINODE_API_TOKEN|VLLM_API_KEY)\s*=\s*)[^\s"']+/g,
];

/** Every PRINTED pattern contains one of these words. */
const HINT = /token|api[ _-]?key|authorization/i;

/**
 * Portcullis's own client tokens. Their plaintexts are not kept in memory (only hashes), so
 * they cannot be in `secrets`; the recognisable prefix catches one a client echoes upstream.
 */
const CLIENT_TOKEN = /pcs_[A-Za-z0-9_-]{43}/g;

/** Secrets shorter than this are not searched for: redacting "a" would shred every line. */
const MIN_SECRET = 6;

/**
 * Replaces every known secret (all tokens Portcullis holds for the server, asked afresh for
 * each batch so a new token is covered at once) and every printed token by ‹redacted›.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  if (out.includes('pcs_')) out = out.replace(CLIENT_TOKEN, REDACTED);
  // One cheap test first: most lines mention no token at all.
  if (!HINT.test(out)) return out;
  for (const pattern of PRINTED) {
    pattern.lastIndex = 0;
    if (pattern.test(out)) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, (_m, keep: string) => `${keep}${REDACTED}`);
    }
  }
  return out;
}
