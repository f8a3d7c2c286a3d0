import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { defineErrors, errorFactory } from './error-spec.js';
import { writeFileAtomic } from './atomic-file.js';
import { keyIdOf, seedBytes, signingKeyFromSeed, type SigningKey } from './ed25519.js';

/**
 * A secret key on disk: JSON `{ "keyId", "publicKey", "seed" }` (base64 raw Ed25519 bytes), mode 0600,
 * never overwritten. The public key and id are redundant with the seed on purpose: a reader checks
 * that they agree, which catches a truncated or hand-edited file. Secret keys are never printed;
 * commands print the key id and public key only.
 */
export const keyFileErrors = defineErrors({
  KEY_FILE_INVALID: { status: 400, fr: 'Fichier de clé invalide', en: 'Invalid key file' },
  KEY_FILE_UNREADABLE: { status: 400, fr: 'Fichier de clé illisible', en: 'Key file cannot be read' },
  KEY_FILE_EXPOSED: { status: 400, fr: 'Fichier de clé lisible par d’autres utilisateurs (chmod 600)', en: 'Key file readable by other users (chmod 600)' },
  KEY_FILE_UNWRITABLE: { status: 400, fr: 'Fichier de clé impossible à écrire (dossier absent ou droits insuffisants)', en: 'Key file cannot be written (no such directory, or no permission)' },
  KEY_FILE_EXISTS: { status: 409, fr: 'Un fichier de clé existe déjà à cet endroit', en: 'A key file already exists there' },
});
const keyFileError = errorFactory(keyFileErrors);

/** A key file is about 150 bytes; anything much larger is not one. */
export const keyFileBytesMax = 4096;

const keyFileSchema = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  seed: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
});

export function keyFileJson(key: SigningKey): string {
  const content = { keyId: keyIdOf(key.publicKey), publicKey: Buffer.from(key.publicKey).toString('base64'), seed: Buffer.from(key.seed).toString('base64') };
  return `${JSON.stringify(content, null, 2)}\n`;
}

export function writeKeyFile(path: string, key: SigningKey): void {
  try {
    writeFileAtomic(path, keyFileJson(key), { mode: 0o600, exclusive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw keyFileError('KEY_FILE_EXISTS', path);
    throw keyFileError('KEY_FILE_UNWRITABLE', `${path}: ${(e as NodeJS.ErrnoException).code ?? 'cannot write'}`);
  }
}

export function parseKeyFile(text: string): SigningKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw keyFileError('KEY_FILE_INVALID', 'not JSON');
  }
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) throw keyFileError('KEY_FILE_INVALID', parsed.error.issues.map((i) => i.path.join('.') || 'file').join(', '));
  const seed = new Uint8Array(Buffer.from(parsed.data.seed, 'base64'));
  if (seed.length !== seedBytes) throw keyFileError('KEY_FILE_INVALID', 'seed length');
  const key = signingKeyFromSeed(seed);
  if (Buffer.from(key.publicKey).toString('base64') !== parsed.data.publicKey || keyIdOf(key.publicKey) !== parsed.data.keyId) {
    throw keyFileError('KEY_FILE_INVALID', 'public key or key id does not match the seed');
  }
  return key;
}

export function readKeyFile(path: string): SigningKey {
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw keyFileError('KEY_FILE_UNREADABLE', `${path}: not a file`);
    if (stat.size > keyFileBytesMax) throw keyFileError('KEY_FILE_INVALID', `${path}: file too large`);
    if ((stat.mode & 0o077) !== 0) throw keyFileError('KEY_FILE_EXPOSED', path);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof Error && e.name === 'CaisseError') throw e;
    throw keyFileError('KEY_FILE_UNREADABLE', `${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    return parseKeyFile(text);
  } catch (e) {
    if (e instanceof Error && e.name === 'CaisseError') throw keyFileError('KEY_FILE_INVALID', `${path}: ${(e as { detail?: string }).detail ?? ''}`);
    throw e;
  }
}
