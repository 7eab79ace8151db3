/**
 * Copies text the user asked to copy. The async Clipboard API first; where it is refused
 * (a window whose permission handler denies everything), a selected off-screen textarea and
 * execCommand, which needs no permission because it runs inside the user's click.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.left = '-9999px';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the clipboard refused the text; select it and press Ctrl+C instead');
}

/** Saves text as a file through the browser's own download, without any server round trip. */
export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const SECRET_CLEAR_MS = 30_000;

/**
 * Copies a secret and clears the clipboard after 30 s if it still holds it (or if the page
 * may not read the clipboard to check: the secret must not linger).
 */
export async function copySecret(secret: string): Promise<void> {
  await copyText(secret);
  setTimeout(() => void clearIfStill(secret), SECRET_CLEAR_MS);
}

async function clearIfStill(secret: string): Promise<void> {
  try {
    if ((await navigator.clipboard.readText()) !== secret) return;
  } catch {
    // Reading refused: clear anyway.
  }
  await navigator.clipboard.writeText('').catch(() => undefined);
}
