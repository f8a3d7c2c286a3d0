import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limits } from '../../domain/limits.js';
import { auditErrors } from '../../ledger/audit/errors.js';
import { auditLimits } from '../../ledger/audit/limits.js';

describe('audit limits and catalogue', () => {
  it('fit together: pages within the API page limit, bounded work in flight', () => {
    expect(auditLimits.pageEntries).toBeLessThanOrEqual(limits.entriesPageMax);
    expect(auditLimits.chunkEntries).toBeGreaterThan(0);
    expect(auditLimits.chunksInFlightPerThread).toBeGreaterThanOrEqual(1);
    // Everything read ahead of the replay, at most: a few thousand leaves, whatever the log's length.
    const leavesInFlightMax = auditLimits.chunkEntries * auditLimits.chunksInFlightPerThread * auditLimits.threadsMax;
    expect(leavesInFlightMax).toBeLessThanOrEqual(100_000);
    expect(auditLimits.pagesInFlight * auditLimits.pageEntries).toBeLessThanOrEqual(10_000);
    expect(auditLimits.balanceRoundsMax).toBeGreaterThanOrEqual(2);
  });

  it('has every code documented in docs/AUDIT.md, and no other', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'AUDIT.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `(AUDIT_[A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(auditErrors).sort());
  });
});
