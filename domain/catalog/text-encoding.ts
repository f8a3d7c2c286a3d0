import iconv from 'iconv-lite';

/**
 * A shop's till exports text as UTF-8 (with or without a byte-order mark) or as Windows-1252, the
 * default of French Windows tills. `auto` takes UTF-8 when the bytes are valid UTF-8 and Windows-1252
 * otherwise: a Windows-1252 French text is almost never valid UTF-8 (an "é" is a lone 0xE9), so the
 * guess is safe. UTF-16 and binary files are refused rather than guessed.
 */
export const textEncodings = ['auto', 'utf-8', 'windows-1252'] as const;
export type TextEncoding = (typeof textEncodings)[number];

export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly encoding: 'utf-8' | 'windows-1252' }
  | { readonly ok: false; readonly line: number; readonly detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** 1-based line of a byte offset: used to say where an encoding problem is. */
function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line += 1;
  return line;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Decoding line by line finds the first bad line without a hand-written UTF-8 validator.
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
    } catch {
      return start;
    }
    start = end + 1;
  }
  return 0;
}

export function decodeText(bytes: Uint8Array, encoding: TextEncoding): DecodeResult {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, line: 1, detail: 'UTF-16 text: save the export as UTF-8 or Windows-1252' };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, line: lineOfOffset(bytes, nul), detail: 'binary data (NUL byte): not a text export' };
  if (encoding === 'windows-1252') return { ok: true, text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1252'), encoding };
  try {
    // TextDecoder drops a leading byte-order mark.
    return { ok: true, text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    if (encoding === 'utf-8') {
      return { ok: false, line: lineOfOffset(bytes, firstInvalidUtf8(bytes)), detail: 'invalid UTF-8 (is the file in Windows-1252? use --encoding windows-1252)' };
    }
    return { ok: true, text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1252'), encoding: 'windows-1252' };
  }
}
