/**
 * DLE EOT n: the real-time status requests of ESC/POS, and what their answer bytes mean. Pure.
 *
 * Each answer is one byte whose bits 1 and 4 are set and bits 0 and 7 clear (0x12 pattern), which is
 * how we tell a status byte from stray data. n = 1: printer status; 2: offline cause; 3: error cause;
 * 4: roll paper sensor.
 */

export const DLE = 0x10;
export const EOT = 0x04;

export type StatusRequestKind = 1 | 2 | 3 | 4;

export function statusRequest(n: StatusRequestKind): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

export function isStatusByte(value: number): boolean {
  return (value & 0x93) === 0x12;
}

/** What the printer said of itself; `answered: false` when it never answered (no DLE EOT support, or busy). */
export interface PrinterSelfReport {
  readonly answered: boolean;
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paperOut: boolean;
  readonly paperNearEnd: boolean;
  /** Cutter jam, head overheating, unrecoverable error. */
  readonly fault: boolean;
}

/** The four answer bytes (undefined where the printer did not answer) as one report. */
export function decodeStatusBytes(bytes: {
  readonly printer: number | undefined;
  readonly offline: number | undefined;
  readonly error: number | undefined;
  readonly paper: number | undefined;
}): PrinterSelfReport {
  const bit = (value: number | undefined, mask: number): boolean => value !== undefined && (value & mask) !== 0;
  const answered = bytes.printer !== undefined;
  return {
    answered,
    online: answered && !bit(bytes.printer, 0x08),
    coverOpen: bit(bytes.offline, 0x04),
    paperOut: bit(bytes.offline, 0x20) || bit(bytes.paper, 0x60),
    paperNearEnd: bit(bytes.paper, 0x0c),
    fault: bit(bytes.offline, 0x40) || bit(bytes.error, 0x08 | 0x20 | 0x40),
  };
}

/** The answer a printer in the given state gives to DLE EOT n (used by the virtual printer). */
export function encodeStatusByte(n: number, state: Omit<PrinterSelfReport, 'answered'>): number {
  let value = 0x12;
  if (n === 1 && !state.online) value |= 0x08;
  if (n === 2) {
    if (state.coverOpen) value |= 0x04;
    if (state.paperOut) value |= 0x20;
    if (state.fault) value |= 0x40;
  }
  if (n === 3 && state.fault) value |= 0x20;
  if (n === 4) {
    if (state.paperNearEnd) value |= 0x0c;
    if (state.paperOut) value |= 0x60;
  }
  return value;
}
