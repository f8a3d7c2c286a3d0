import { CaisseError } from '../domain/error-spec.js';
import { printerError } from './errors.js';
import { isStatusByte } from './escpos-status.js';
import type { PrinterTarget } from './target.js';

/**
 * An open link to a printer. Bytes go one way; status bytes (answers to DLE EOT) come back. Every
 * wait is bounded by a timeout given in milliseconds, and a broken link rejects with a catalogued
 * error (PRINTER_DISCONNECTED, PRINTER_TIMEOUT, PRINTER_IO) instead of hanging.
 */
export interface PrinterConnection {
  /** Resolves once the bytes are handed to the operating system. */
  write(bytes: Uint8Array, timeoutMs: number): Promise<void>;
  /**
   * Sends a status request and resolves with the first status byte that comes back, or undefined when
   * none comes within `timeoutMs` (printers without status support stay silent).
   */
  request(bytes: Uint8Array, timeoutMs: number): Promise<number | undefined>;
  /** Whether this link can carry answers at all (a plain file cannot). */
  readonly canAnswer: boolean;
  close(): Promise<void>;
}

export type OpenConnection = (target: PrinterTarget, timeoutMs: number) => Promise<PrinterConnection>;

/**
 * Incoming bytes of a stream link (TCP, serial), and the end of the link. Status bytes are picked
 * from the stream; anything else (echo, garbage) is dropped.
 */
export class ReplyInbox {
  #bytes: number[] = [];
  #broken: CaisseError | undefined;
  #wake: (() => void) | undefined;

  push(chunk: Uint8Array): void {
    for (const b of chunk) if (isStatusByte(b)) this.#bytes.push(b);
    if (this.#bytes.length > 64) this.#bytes.splice(0, this.#bytes.length - 64); // a chatty device cannot grow this
    this.#wake?.();
  }

  break(error: CaisseError): void {
    this.#broken ??= error;
    this.#wake?.();
  }

  get broken(): CaisseError | undefined {
    return this.#broken;
  }

  clear(): void {
    this.#bytes = [];
  }

  /** The next status byte, undefined on timeout; rejects if the link broke meanwhile. */
  take(timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const next = this.#bytes.shift();
        if (next !== undefined) {
          done();
          resolve(next);
          return true;
        }
        if (this.#broken) {
          done();
          reject(this.#broken);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        resolve(undefined);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
      };
      if (!check()) this.#wake = () => void check();
    });
  }
}

/** Runs `work` with a deadline; on expiry rejects with PRINTER_TIMEOUT naming what took too long. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(printerError('PRINTER_TIMEOUT', `${what}: ${timeoutMs} ms`)), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** An OS error code ("ECONNREFUSED") from an unknown thrown value. */
export function osErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
