import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { CaisseError, type Lang } from '../../domain/error-spec.js';
import { writeFileAtomic } from '../../domain/atomic-file.js';
import { writableFilePath } from '../output-path.js';
import { limits } from '../../domain/limits.js';
import { audit, type AuditReport } from '../../ledger/audit/audit.js';
import { AuditFailure } from '../../ledger/audit/failure.js';
import { auditLimits } from '../../ledger/audit/limits.js';
import { merkleLimits } from '../../ledger/merkle/limits.js';
import type { Command } from '../command.js';
import { optInt, optString } from '../command.js';
import { cliError } from '../errors.js';
import { createProgress, type Progress } from '../progress.js';
import { ledgerUrl } from '../demo/http-client.js';
import { parseVkey } from '../../ledger/formats/note.js';

/**
 * `caisse ledger verify`: audits a ledger from its log alone, from its data directory (--data) or over
 * HTTP (--url). Prints a summary and exits 0, or names the index (or account) and the reason and exits
 * non-zero. docs/AUDIT.md says what is checked and how.
 */
export const ledgerVerify: Command = {
  words: ['ledger', 'verify'],
  summary: {
    fr: 'Vérifier tout le registre depuis son journal : signatures, clés, racine de Merkle, soldes',
    en: 'Audit the whole ledger from its log: signatures, keys, Merkle root, balances',
  },
  options: [
    { name: 'data', kind: 'string', valueName: 'DIR', help: { fr: 'dossier des données du registre (lecture seule)', en: 'ledger data directory (read only)' } },
    { name: 'url', kind: 'string', valueName: 'URL', help: { fr: 'adresse du registre servi en HTTP (http://hôte:port)', en: 'address of a ledger served over HTTP (http://host:port)' } },
    { name: 'vkey', kind: 'string', valueName: 'VKEY', help: { fr: 'clé du journal imposée (nom+id+clé), au lieu de celle que le registre annonce', en: 'pinned log key (name+id+key) instead of the one the ledger announces' } },
    { name: 'checkpoint', kind: 'string', valueName: 'FILE', help: { fr: 'point de contrôle enregistré lors d’une vérification précédente : le journal doit le prolonger', en: 'checkpoint saved by an earlier audit: the log must extend it' } },
    { name: 'save-checkpoint', kind: 'string', valueName: 'FILE', help: { fr: 'enregistrer le point de contrôle vérifié pour la prochaine fois', en: 'save the verified checkpoint for next time' } },
    { name: 'threads', kind: 'int', valueName: 'N', min: 0, max: auditLimits.threadsMax, help: { fr: 'fils de vérification (défaut : un par cœur)', en: 'verification threads (default: one per core)' } },
    { name: 'clock-window-ms', kind: 'int', valueName: 'MS', min: 1000, max: limits.offlineAgeMsMax, help: { fr: 'fenêtre d’horloge à rejouer (défaut : celle de l’écriture de genèse)', en: 'the clock window to replay with (default: the genesis entry’s)' } },
    { name: 'temp-dir', kind: 'string', valueName: 'DIR', help: { fr: 'dossier des fichiers temporaires (identifiants triés, ~45 octets par écriture ; défaut : TMPDIR)', en: 'directory for temporary files (sorted entry ids, ~45 bytes an entry; default: TMPDIR)' } },
  ],
  async run(args, io) {
    const data = optString(args, 'data');
    const url = optString(args, 'url');
    if (data === undefined && url === undefined) throw cliError('CLI_MISSING_OPTION', '--data DIR or --url URL (one of them)');
    if (data !== undefined && url !== undefined) throw cliError('CLI_BAD_ARGUMENTS', '--data DIR or --url URL, not both');
    if (url !== undefined) ledgerUrl(url);
    const savedPath = optString(args, 'checkpoint');
    const saveOption = optString(args, 'save-checkpoint');
    const saveTo = saveOption === undefined ? undefined : writableFilePath('save-checkpoint', resolve(io.cwd, saveOption), { writes: 'replace' });
    const savedCheckpoint = savedPath === undefined ? undefined : readNoteFile(resolve(io.cwd, savedPath));
    const vkey = optString(args, 'vkey');
    // A mistyped pinned key is the caller's mistake, said before the audit starts.
    if (vkey !== undefined) {
      try {
        parseVkey(vkey);
      } catch (e) {
        throw cliError('CLI_BAD_VALUE', `--vkey ${vkey}: ${e instanceof CaisseError ? e.detail : (e as Error).message}`);
      }
    }
    const clockWindowMs = optInt(args, 'clock-window-ms');
    const tempDir = optString(args, 'temp-dir');
    const label = io.lang === 'fr' ? 'Vérification' : 'Audit';
    let progress: Progress | undefined;
    let shown = 0;
    let report: AuditReport;
    try {
      report = await audit(data !== undefined ? { data: resolve(io.cwd, data) } : { url: url ?? '' }, {
        threads: optInt(args, 'threads') ?? cpus().length,
        ...(vkey !== undefined ? { vkey } : {}),
        ...(savedCheckpoint !== undefined ? { savedCheckpoint } : {}),
        ...(clockWindowMs !== undefined ? { clockWindowMs } : {}),
        ...(tempDir !== undefined ? { tempDir: resolve(io.cwd, tempDir) } : {}),
        onProgress(done, total) {
          progress ??= createProgress(io, label, total);
          progress.tick(done - shown);
          shown = done;
        },
      });
    } catch (e) {
      progress?.done();
      if (e instanceof AuditFailure) io.err(`${failureLine(e, io.lang)}\n`);
      throw e;
    }
    progress?.done();
    if (saveTo !== undefined) writeFileAtomic(saveTo, report.checkpoint.note);
    io.out(summary(report, io.lang, saveOption));
    return 0;
  },
};

/** A saved checkpoint note, bounded like any note. */
function readNoteFile(path: string): string {
  if (!existsSync(path)) throw cliError('CLI_BAD_VALUE', `--checkpoint ${path}: no such file`);
  if (!statSync(path).isFile()) throw cliError('CLI_BAD_VALUE', `--checkpoint ${path}: not a file`);
  const bytes = readFileSync(path);
  if (bytes.length > merkleLimits.noteBytesMax) throw cliError('CLI_BAD_VALUE', `--checkpoint ${path}: larger than a checkpoint`);
  return bytes.toString('utf8');
}

function failureLine(e: AuditFailure, lang: Lang): string {
  const fr = lang === 'fr';
  if (e.index !== undefined) return fr ? `Vérification échouée à l’écriture d’indice ${e.index}.` : `Audit failed at the entry of index ${e.index}.`;
  if (e.account !== undefined) return fr ? `Vérification échouée sur le compte ${e.account}.` : `Audit failed on account ${e.account}.`;
  if (e.size !== undefined) return fr ? `Vérification échouée à la taille d’arbre ${e.size}.` : `Audit failed at tree size ${e.size}.`;
  return fr ? 'Vérification échouée.' : 'Audit failed.';
}

function summary(r: AuditReport, lang: Lang, savedTo: string | undefined): string {
  const fr = lang === 'fr';
  const n = (x: number) => x.toLocaleString(fr ? 'fr-FR' : 'en-GB').replace(/\u202f|\u00a0/g, ' ');
  const rows: [string, string][] = [
    [fr ? 'écritures' : 'entries', n(r.entries)],
    [fr ? 'comptes' : 'accounts', n(r.accounts)],
    [fr ? 'clés' : 'keys', n(r.keys)],
    [fr ? 'point de contrôle' : 'checkpoint', `${r.checkpoint.origin}, ${fr ? 'taille' : 'size'} ${r.checkpoint.size}`],
    [fr ? 'racine' : 'root', r.checkpoint.rootBase64],
  ];
  if (r.mode === 'local') rows.push([fr ? 'points de contrôle stockés' : 'stored checkpoints', n(r.storedCheckpointsVerified)]);
  if (r.savedCheckpointSize !== undefined) rows.push([fr ? 'prolonge le point enregistré' : 'extends the saved checkpoint', `${fr ? 'taille' : 'size'} ${r.savedCheckpointSize}`]);
  const seconds = fr ? r.seconds.toFixed(1).replace('.', ',') : r.seconds.toFixed(1);
  rows.push([fr ? 'durée' : 'time', `${seconds} s, ${n(Math.round(r.entriesPerSecond))} ${fr ? 'écritures/s' : 'entries/s'}, ${r.threads} ${fr ? 'fils' : 'threads'}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = fr ? `Registre vérifié : ${r.source}` : `Ledger verified: ${r.source}`;
  const lines = [head, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (savedTo !== undefined) lines.push(fr ? `Point de contrôle enregistré dans ${savedTo}` : `Checkpoint saved to ${savedTo}`);
  return `${lines.join('\n')}\n`;
}

export const commands: readonly Command[] = [ledgerVerify];
