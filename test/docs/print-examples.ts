import { workedExample } from './example.js';

/**
 * Prints the worked example of docs/formats/entry.md, leaf.md and receipt.md, for whoever updates the
 * pages after a format change. The test directory is not part of the build, so compile it apart:
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/caisse-docs && node /tmp/caisse-docs/test/docs/print-examples.js
 */
const example = workedExample();
process.stdout.write(`${JSON.stringify(example, null, 2)}\n`);
for (const [name, text] of [
  ['body', example.entry.bodyPretty],
  ['body JCS', example.entry.bodyJcs],
  ['envelope', example.entry.envelopePretty],
  ['submission', example.entry.submissionPretty],
  ['leaf', example.leaf.bytes],
  ['receipt', example.receipt.pretty],
  ['checkpoint', example.receipt.checkpoint],
] as const) {
  process.stdout.write(`\n----- ${name}\n${text}\n`);
}
