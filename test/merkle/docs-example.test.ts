import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { merkleErrors } from '../../ledger/merkle/errors.js';
import { workedExample } from './example.js';

const docsDir = new URL('../../docs/formats/', import.meta.url);
const merkleDoc = readFileSync(new URL('merkle.md', docsDir), 'utf8');
const checkpointDoc = readFileSync(new URL('checkpoint.md', docsDir), 'utf8');

describe('docs/formats/merkle.md and checkpoint.md show what the code computes', () => {
  const example = workedExample();

  it('merkle.md: leaf hashes, stored nodes, root and proofs of the size-7 tree', () => {
    example.leafHashes.forEach((hash, i) => expect(merkleDoc).toContain(`    ${i}  ${hash}`));
    for (const node of example.decomposition) expect(merkleDoc).toContain(`(${node.level},${node.index}) leaves`);
    for (const node of example.decomposition) expect(merkleDoc).toContain(node.hash);
    expect(merkleDoc).toContain(example.root);
    expect(merkleDoc).toContain(example.rootBase64);
    example.inclusion.ranges.forEach((r, i) => expect(merkleDoc).toContain(`[${r.begin},${r.end})  ${example.inclusion.proof[i]}`));
    expect(merkleDoc).toContain(example.consistency.rootFrom);
    const section = merkleDoc.slice(merkleDoc.indexOf('Consistency proof from size 3'));
    example.consistency.ranges.forEach((r, i) => expect(section).toContain(`[${r.begin},${r.end})  ${example.consistency.proof[i]}`));
  });

  it('checkpoint.md: keys, body and the signed and cosigned note, byte for byte', () => {
    expect(checkpointDoc).toContain(example.logPublicKey);
    expect(checkpointDoc).toContain(example.logVkey);
    expect(checkpointDoc).toContain(example.committeePublicKey);
    expect(checkpointDoc).toContain(example.committeeVkey);
    expect(checkpointDoc).toContain(`\`\`\`\n${example.body}\`\`\``);
    expect(checkpointDoc).toContain(`\`\`\`\n${example.cosigned}\`\`\``);
    expect(checkpointDoc).toContain(`${Buffer.byteLength(example.body)} bytes in all`);
    expect(checkpointDoc).toContain(`signature of the ${Buffer.byteLength(example.body)} bytes of the body`);
    expect(checkpointDoc).toContain(`\`${example.logVkey.split('+')[1]?.match(/../g)?.join(' ')}\` (the key id`);
    expect(example.cosigned.startsWith(example.signed)).toBe(true);
  });

  it('both pages list every error code of the catalogue with its status', () => {
    for (const [code, spec] of Object.entries(merkleErrors)) {
      const row = `| \`${code}\` | ${spec.status} |`;
      expect(merkleDoc.includes(row) || checkpointDoc.includes(row)).toBe(true);
    }
  });
});
