import { describe, expect, it } from 'vitest';
import { generateSigningKey, signingKeyFromSeed } from '../../domain/ed25519.js';
import { addSignature, noteKeyId, openNote, parseNote, parseVkey, signatureLabel, signNote, vkey } from '../../ledger/formats/note.js';
import { codeOf } from '../support/code-of.js';

// Vectors of golang.org/x/mod/sumdb/note (note_test.go): a private key, two verifier keys, a text and
// the signatures of both keys over it.
const peterSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const enochVkey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

function peterKey() {
  // The Go private key string is PRIVATE+KEY+<name>+<key id>+base64(0x01 || 32-byte seed).
  const raw = Buffer.from(peterSkey.split('+').slice(4).join('+'), 'base64');
  expect(raw[0]).toBe(1);
  return signingKeyFromSeed(new Uint8Array(raw.subarray(1)));
}

describe('signed notes: byte-exact against golang.org/x/mod/sumdb/note', () => {
  it('derives the key id and verifier key', () => {
    const key = peterKey();
    expect(noteKeyId('PeterNeumann', key.publicKey)).toBe(0xc74f20a3);
    expect(vkey('PeterNeumann', key.publicKey)).toBe(peterVkey);
    const parsed = parseVkey(peterVkey);
    expect(parsed.name).toBe('PeterNeumann');
    expect(Buffer.from(parsed.publicKey).equals(Buffer.from(key.publicKey))).toBe(true);
  });

  it('signs to the exact bytes of the Go implementation', () => {
    expect(signNote(text, 'PeterNeumann', peterKey())).toBe(`${text}\n${peterSig}`);
  });

  it('opens a note with a known and an unknown signer, and with both known', () => {
    const peter = parseVkey(peterVkey);
    const enoch = parseVkey(enochVkey);
    const note = `${text}\n${peterSig}${enochSig}`;
    const one = openNote(note, [peter]);
    expect(one.text).toBe(text);
    expect(one.verified.map(signatureLabel)).toEqual(['PeterNeumann+c74f20a3']);
    expect(one.unknown.map(signatureLabel)).toEqual(['EnochRoot+af0cfe78']);
    const both = openNote(new TextEncoder().encode(note), [peter, enoch]);
    expect(both.verified.map(signatureLabel)).toEqual(['PeterNeumann+c74f20a3', 'EnochRoot+af0cfe78']);
    expect(both.unknown).toEqual([]);
    expect(codeOf(() => openNote(note, []))).toBe('LEDGER_NOTE_UNVERIFIED');
    // Repeated identical lines are listed once.
    expect(openNote(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}`, [peter]).verified.length).toBe(1);
  });

  it('refuses the malformed notes of the Go tests', () => {
    const peter = parseVkey(peterVkey);
    for (const bad of [
      text,
      `${text}\n`,
      `${text}\n${peterSig.slice(0, -1)}`,
      `\x01${text}\n${peterSig}`,
      `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${text}\n${peterSig}Unexpected line.\n`,
      `${text}\n${peterSig.replace('— ', '-- ')}`,
      `${text}\n${peterSig.replace('=\n', '\n')}`,
      `${text.replace('\n', '\r\n')}\n${peterSig}`,
      `${text}\n— PeterNeumann\n`,
    ]) {
      expect(codeOf(() => openNote(bad, [peter]))).toBe('LEDGER_NOTE_MALFORMED');
    }
    expect(codeOf(() => openNote(Uint8Array.of(0xff, ...new TextEncoder().encode(`${text}\n${peterSig}`)), [peter]))).toBe('LEDGER_NOTE_MALFORMED');
    expect(codeOf(() => openNote(`\ud800${text}\n${peterSig}`, [peter]))).toBe('LEDGER_NOTE_MALFORMED');
  });

  it('refuses a bad signature from a known key, even beside good ones', () => {
    const peter = parseVkey(peterVkey);
    const mangled = `${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    expect(codeOf(() => openNote(`${text}\n${mangled}`, [peter]))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
    expect(codeOf(() => openNote(`${text}\n${peterSig}${mangled}`, [peter]))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
    // The same bad line from a key not known here is ignored.
    expect(codeOf(() => openNote(`${text}\n${peterSig}${mangled}`, [parseVkey(enochVkey)]))).toBe('LEDGER_NOTE_UNVERIFIED');
  });

  it('enforces the signature count and size limits', () => {
    const peter = parseVkey(peterVkey);
    expect(codeOf(() => openNote(`${text}\n${peterSig.repeat(100)}`, [peter]))).toBe('OK');
    expect(codeOf(() => openNote(`${text}\n${peterSig.repeat(101)}`, [peter]))).toBe('LEDGER_NOTE_TOO_LARGE');
    expect(codeOf(() => openNote(`${'a'.repeat(200_000)}\n\n${peterSig}`, [peter]))).toBe('LEDGER_NOTE_TOO_LARGE');
  });

  it('refuses mangled verifier keys (every strict substring, every changed byte)', () => {
    const bytes = Buffer.from(peterVkey);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i + 1; j <= bytes.length; j++) {
        if (i === 0 && j === bytes.length) continue;
        expect(codeOf(() => parseVkey(bytes.subarray(i, j).toString()))).toBe('LEDGER_NOTE_BAD_VKEY');
      }
    }
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i] ?? 0) + 1;
      expect(codeOf(() => parseVkey(changed.toString()))).toBe('LEDGER_NOTE_BAD_VKEY');
    }
  });
});

describe('signed notes: signing, tampering, cosigning', () => {
  const log = generateSigningKey();
  const committee = generateSigningKey();
  const logName = 'caisse.example/cca44';
  const committeeName = 'comite.caisse.example';
  const logVerifier = { name: logName, publicKey: log.publicKey };
  const committeeVerifier = { name: committeeName, publicKey: committee.publicKey };
  const body = 'caisse.example/cca44\n3\nAAAA\n';

  it('opens what it signs, with empty lines in the text', () => {
    const withBlank = 'first\n\nthird\n';
    const note = signNote(withBlank, logName, log);
    expect(openNote(note, [logVerifier]).text).toBe(withBlank);
  });

  it('refuses edited text, an extra line, the wrong key and a renamed signer', () => {
    const note = signNote(body, logName, log);
    expect(codeOf(() => openNote(note.replace('\n3\n', '\n4\n'), [logVerifier]))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
    expect(codeOf(() => openNote(`extra\n${note}`, [logVerifier]))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
    expect(codeOf(() => openNote(note.replace(body, `${body}extra\n`), [logVerifier]))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
    // Another key under the same name has another key id: its signatures are unknown, not wrong.
    const impostor = { name: logName, publicKey: generateSigningKey().publicKey };
    expect(codeOf(() => openNote(note, [impostor]))).toBe('LEDGER_NOTE_UNVERIFIED');
    expect(codeOf(() => openNote(note.replace(`— ${logName} `, '— other.example '), [logVerifier]))).toBe('LEDGER_NOTE_UNVERIFIED');
  });

  it('takes a cosignature by a second key and keeps it for those who know it', () => {
    const note = signNote(body, logName, log);
    const cosigned = addSignature(note, committeeName, committee);
    expect(cosigned.startsWith(note)).toBe(true);
    const both = openNote(cosigned, [logVerifier, committeeVerifier]);
    expect(both.verified.map((s) => s.name)).toEqual([logName, committeeName]);
    const logOnly = openNote(cosigned, [logVerifier]);
    expect(logOnly.verified.map((s) => s.name)).toEqual([logName]);
    expect(logOnly.unknown.map((s) => s.name)).toEqual([committeeName]);
    // Cosigning again replaces the earlier cosignature rather than adding a second one.
    expect(parseNote(addSignature(cosigned, committeeName, committee)).signatures.length).toBe(2);
    // A forged cosignature (the committee's line moved onto another text) refuses the note.
    const forged = `${signNote('caisse.example/cca44\n4\nAAAA\n', logName, log)}${cosigned.split('\n').at(-2) ?? ''}\n`;
    expect(codeOf(() => openNote(forged, [logVerifier, committeeVerifier]))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
  });

  it('refuses bad key names and texts', () => {
    for (const name of ['', 'has space', 'a+b', 'tab\there', 'nbsp\u00a0here', 'x'.repeat(256)]) {
      expect(codeOf(() => signNote(body, name, log))).toBe('LEDGER_NOTE_BAD_KEY_NAME');
    }
    expect(codeOf(() => signNote('no newline', logName, log))).toBe('LEDGER_NOTE_MALFORMED');
    expect(codeOf(() => signNote('bell\x07\n', logName, log))).toBe('LEDGER_NOTE_MALFORMED');
    expect(codeOf(() => openNote(signNote(body, logName, log), [logVerifier, { name: logName, publicKey: new Uint8Array(31) }]))).toBe(
      'LEDGER_NOTE_BAD_VKEY',
    );
  });
});
