/**
 * The renderer's Content-Security-Policy, one string for both faces: the desktop window
 * (custom protocol) and `portcullis serve` (HTTP header). Scripts only from the app itself,
 * never inline or eval'd; nothing remote at all. Inline styles are allowed because the
 * component library sets CSS variables through style attributes; styles cannot run code.
 */
export const rendererCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
