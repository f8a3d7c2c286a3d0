import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';

export function tempDir(prefix = 'caisse-printer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

// jsqr is a CommonJS bundle whose types declare an ES default export: take whichever the loader gives.
type JsQr = typeof jsqrModule.default;
const jsQR: JsQr = (jsqrModule as unknown as { default?: JsQr }).default ?? (jsqrModule as unknown as JsQr);

/** The QR code found in a PNG, read back with jsqr; null when there is none. */
export function decodeQrFromPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return result ? result.data : null;
}

/** Timeouts for tests: short enough for a silent printer, long enough for a busy CI machine to answer. */
export const testTimeouts = { connectTimeoutMs: 3_000, writeTimeoutMs: 5_000, statusTimeoutMs: 1_000 } as const;
