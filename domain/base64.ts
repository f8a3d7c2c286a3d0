/**
 * Canonical base64 (RFC 4648 section 3.5): the one spelling of a byte string. Decoders ignore the
 * unused low bits of the last digit, so a signature written with them set decodes to the same valid
 * signature: accepting it would give one signed entry several leaves. Checked on the text itself
 * (the leaf and submission validators run it for every signature and hash), with the same answer as
 * "decode to exactly `bytes` bytes, encode again, compare".
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const digitValue = new Int8Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) digitValue[alphabet.charCodeAt(i)] = i;

/** True when `text` is the canonical base64 of exactly `bytes` bytes (padded with `=`). */
export function isCanonicalBase64(text: string, bytes: number): boolean {
  const remainder = bytes % 3;
  const padding = remainder === 0 ? 0 : 3 - remainder;
  const digits = 4 * Math.ceil(bytes / 3) - padding;
  if (text.length !== digits + padding) return false;
  for (let i = digits; i < text.length; i++) if (text.charCodeAt(i) !== 0x3d) return false;
  let last = 0;
  for (let i = 0; i < digits; i++) {
    const code = text.charCodeAt(i);
    last = code < 128 ? (digitValue[code] ?? -1) : -1;
    if (last < 0) return false;
  }
  // One byte past a whole group leaves 4 unused bits in its second digit, two bytes leave 2.
  const unusedBits = remainder === 1 ? 0b1111 : remainder === 2 ? 0b11 : 0;
  return (last & unusedBits) === 0;
}
