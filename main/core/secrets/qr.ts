import QRCode from 'qrcode';
import { qrTarget } from './snippets.js';

/** The QR code of URL + token, as SVG for the UI and as block characters for a terminal. */
export async function tokenQr(url: string, token: string): Promise<{ svg: string; text: string }> {
  const target = qrTarget(url, token);
  const [svg, text] = await Promise.all([
    QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toString(target, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 }),
  ]);
  return { svg, text };
}
