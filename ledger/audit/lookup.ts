import { decodeLeaf, LeafFormatError } from '../formats/leaf.js';
import { auditFailure } from './failure.js';
import type { LookedUpEntry } from './replay-state.js';

/**
 * Turns the leaf a source returned for an id into what the replay needs of it, after checking that the
 * leaf is well formed, carries that id and says it sits at the index the source gave (the source also
 * proves that index: locally the leaf is the stored row at that index; over HTTP with an inclusion
 * proof against the audited checkpoint).
 */
export function lookedUpFromLeaf(entryId: string, index: number, leaf: Uint8Array): LookedUpEntry {
  let sealed;
  try {
    sealed = decodeLeaf(leaf);
  } catch (e) {
    if (e instanceof LeafFormatError) throw auditFailure('AUDIT_LOOKUP_INVALID', { index }, `entry ${entryId}: ${e.message}`);
    throw e;
  }
  if (sealed.body.id !== entryId || sealed.index !== index) {
    throw auditFailure('AUDIT_LOOKUP_INVALID', { index }, `asked for ${entryId}, got ${sealed.body.id} at index ${sealed.index}`);
  }
  const body = sealed.body;
  if (body.type === 'payment') {
    return { index, type: body.type, payment: { payer: body.payer, merchant: body.merchant, amountCents: body.amountCents } };
  }
  return { index, type: body.type };
}
