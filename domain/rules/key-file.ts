import { open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { keyIdOf, seedBytes, signingKeyFromSeed, type SigningKey } from '../ed25519.js';
import { rulesFail } from './errors.js';

/**
 * A committee key file: JSON `{ "keyId": hex16, "publicKey": base64, "seed": base64 }`, written with
 * mode 0600 and never overwritten. The public key and id are redundant with the seed on purpose: a
 * reader checks that they agree, which catches a truncated or hand-edited file.
 */
const keyFileSchema = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  seed: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
});

const keyFileBytesMax = 4096;

export function keyFileJson(key: SigningKey): string {
  return `${JSON.stringify({ keyId: keyIdOf(key.publicKey), publicKey: Buffer.from(key.publicKey).toString('base64'), seed: Buffer.from(key.seed).toString('base64') }, null, 2)}\n`;
}

export async function writeKeyFile(path: string, key: SigningKey): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(keyFileJson(key));
  } finally {
    await handle.close();
  }
}

export function parseKeyFile(text: string): SigningKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw rulesFail('RULES_BAD_KEY_FILE', 'not JSON');
  }
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) throw rulesFail('RULES_BAD_KEY_FILE', parsed.error.issues.map((i) => i.path.join('.') || 'file').join(', '));
  const seed = new Uint8Array(Buffer.from(parsed.data.seed, 'base64'));
  if (seed.length !== seedBytes) throw rulesFail('RULES_BAD_KEY_FILE', 'seed length');
  const key = signingKeyFromSeed(seed);
  if (Buffer.from(key.publicKey).toString('base64') !== parsed.data.publicKey || keyIdOf(key.publicKey) !== parsed.data.keyId) {
    throw rulesFail('RULES_BAD_KEY_FILE', 'public key or key id does not match the seed');
  }
  return key;
}

export async function readKeyFile(path: string): Promise<SigningKey> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.length > keyFileBytesMax) throw rulesFail('RULES_BAD_KEY_FILE', 'file too large');
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof Error && error.name === 'CaisseError') throw error;
    throw rulesFail('RULES_BAD_KEY_FILE', `${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  return parseKeyFile(text);
}
