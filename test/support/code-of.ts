import { CaisseError } from '../../domain/error-spec.js';

/** The CaisseError code a call throws, or 'OK' when it returns; any other exception propagates. */
export function codeOf(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    if (e instanceof CaisseError) return e.code;
    throw e;
  }
  return 'OK';
}
