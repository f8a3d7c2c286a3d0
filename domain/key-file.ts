import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { z } from 'zod';
import { keyIdOf, signingKeyFromSeed, type SigningKey } from './ed25519.js';

/**
 * A secret key on disk: JSON `{ "keyId", "publicKey", "seed" }` (base64 raw Ed25519 bytes), mode 0600.
 * Secret keys are never printed; commands print the key id and public key only.
 */
const keyFileSchema = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  publicKey: z.string().length(44),
  seed: z.string().length(44),
});

export class KeyFileError extends Error {}

export function writeKeyFile(path: string, key: SigningKey): void {
  const content = JSON.stringify(
    { keyId: keyIdOf(key.publicKey), publicKey: Buffer.from(key.publicKey).toString('base64'), seed: Buffer.from(key.seed).toString('base64') },
    null,
    2,
  );
  writeFileAtomic(path, `${content}\n`, 0o600);
}

export function readKeyFile(path: string): SigningKey {
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) throw new KeyFileError(`${path} is readable by others: chmod 600 it`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    throw new KeyFileError(`cannot read key file ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyFileError(`${path} is not a key file (not JSON)`);
  }
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) throw new KeyFileError(`${path} is not a key file`);
  const key = signingKeyFromSeed(Buffer.from(parsed.data.seed, 'base64'));
  if (Buffer.from(key.publicKey).toString('base64') !== parsed.data.publicKey || keyIdOf(key.publicKey) !== parsed.data.keyId) {
    throw new KeyFileError(`${path}: the public key does not match the seed`);
  }
  return key;
}

/**
 * Writes a file so that a crash leaves either the old content or the new, never half of it: a
 * temporary file beside it, fsync, rename, then fsync of the directory.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
