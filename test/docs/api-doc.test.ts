import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '../../cli/error-catalogue.js';
import { limits } from '../../domain/limits.js';
import { serveExampleLedger, type ExampleServer } from './api-server.js';
import { workedExample } from './example.js';

/**
 * docs/API.md against the code: every route that ledger/http/app.ts serves has a section and no section
 * names a route that does not exist; every `$ curl` example, run against the worked-example ledger
 * served on 127.0.0.1, gets exactly the answer printed under it.
 */
const root = new URL('../../', import.meta.url);
const apiDoc = readFileSync(new URL('docs/API.md', root), 'utf8');
const appSource = readFileSync(new URL('ledger/http/app.ts', root), 'utf8');
const docHost = 'http://127.0.0.1:8444';

interface CurlExample {
  readonly command: string;
  readonly expected: string;
}

function consoleExamples(markdown: string): CurlExample[] {
  return [...markdown.matchAll(/```console\n\$ (curl [^\n]+)\n([\s\S]*?)\n```/g)].map((m) => ({ command: m[1] ?? '', expected: m[2] ?? '' }));
}

/** Splits a command line as a shell would for the quoting these examples use (single quotes only). */
function words(command: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

interface CurlRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

function parseCurl(command: string, files: Record<string, string>): CurlRequest {
  const args = words(command);
  expect(args[0]).toBe('curl');
  const headers: Record<string, string> = {};
  let body: string | undefined;
  let url: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-s') continue;
    if (arg === '-H') {
      const header = args[++i] ?? '';
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg === '-d') {
      const data = args[++i] ?? '';
      if (data.startsWith('@')) {
        const file = files[data.slice(1)];
        if (file === undefined) throw new Error(`no file ${data}`);
        body = file;
      } else body = data;
    } else if (arg.startsWith('http')) url = arg;
    else throw new Error(`curl option ${arg} not understood by this test`);
  }
  if (url === undefined || !url.startsWith(docHost)) throw new Error(`no ${docHost} URL in ${command}`);
  // curl -d sends a form content type unless told otherwise; the examples always say JSON.
  return { url, method: body === undefined ? 'GET' : 'POST', headers, body };
}

describe('docs/API.md', () => {
  let server: ExampleServer;
  let submission: string;
  beforeAll(async () => {
    server = await serveExampleLedger();
    submission = workedExample().entry.submissionPretty;
  });
  afterAll(async () => {
    await server.close();
  });

  it('has a section for every route the app serves, and none for a route it does not serve', () => {
    const served = [...appSource.matchAll(/app\.(get|post)\('(\/v1\/[^']*)'/g)].map((m) => `${(m[1] ?? '').toUpperCase()} ${m[2] ?? ''}`).sort();
    const documented = [...apiDoc.matchAll(/^### (GET|POST) (\/v1\/\S*)$/gm)].map((m) => `${m[1] ?? ''} ${m[2] ?? ''}`).sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual(served);
    for (const route of served) expect(apiDoc, `route table row for ${route}`).toContain(`[\`${route}\`]`);
  });

  it('quotes the limits of domain/limits.ts', () => {
    const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    expect(apiDoc).toContain(`| ${grouped(limits.bodyBytesMax)} bytes (${limits.bodyBytesMax / 1024} KiB) |`);
    expect(apiDoc).toContain(`| ${grouped(limits.batchBodyBytesMax)} bytes (${limits.batchBodyBytesMax / 1024 / 1024} MiB) |`);
    for (const name of ['batchEntriesMax', 'entriesPageMax', 'statementPageMax', 'accountsPageMax', 'keysPageMax', 'queueEntriesMax', 'groupEntriesMax'] as const) {
      expect(apiDoc, name).toMatch(new RegExp(`\\(\`${name}\`\\) \\| ${grouped(limits[name])} \\|`));
    }
    expect(apiDoc).toContain(`(\`jsonDepthMax\`) | ${limits.jsonDepthMax} levels |`);
    for (const name of ['headersMsMax', 'requestMsMax'] as const) expect(apiDoc, name).toContain(`(\`${name}\`) | ${grouped(limits[name])} ms |`);
  });

  it('names only catalogued error codes', () => {
    const codes = [...apiDoc.matchAll(/`(LEDGER_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? '');
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((c) => !isErrorCode(c))).toEqual([]);
  });

  it('shows payment.json as the worked example submission', () => {
    expect(apiDoc).toContain(`\`payment.json\`:\n\n\`\`\`json\n${submission}\n\`\`\``);
  });

  it('prints, under every curl example, the answer the ledger gives', async () => {
    const files = { 'payment.json': submission, 'batch.json': `{"entries":[${submission},{"entry":{}}]}` };
    const examples = consoleExamples(apiDoc);
    expect(examples.length).toBeGreaterThan(15);
    for (const example of examples) {
      const request = parseCurl(example.command, files);
      const response = await fetch(request.url.replace(docHost, server.url), {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const text = await response.text();
      if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
        expect(JSON.parse(text), example.command).toEqual(JSON.parse(example.expected));
        expect(text, `${example.command}: the doc shows the bytes the ledger sends`).toBe(example.expected);
      } else {
        expect(text, example.command).toBe(`${example.expected}\n`);
      }
    }
  });
});
