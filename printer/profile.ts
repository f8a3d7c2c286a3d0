import { printerError } from './errors.js';
import { dotsWidthByColumns, supportedColumns, type Columns } from './limits.js';

/**
 * What the module needs to know about a printer model. Cheap printers differ in paper width, in
 * whether they understand GS ( k QR codes, and in how far to feed before the cut; everything else
 * (code page, commands) is the common ESC/POS subset.
 */
export interface PrinterProfile {
  readonly id: string;
  readonly columns: Columns;
  /** Printable dots per line (at least 12 per column in font A). */
  readonly dotsWidth: number;
  /** 'native': the printer draws the QR code (GS ( k); 'raster': we draw it and send an image (GS v 0). */
  readonly qr: 'native' | 'raster';
  /** Dots per QR module, reduced when the code would not fit the paper. */
  readonly qrModuleDots: number;
  /** Blank lines fed before the cut, so the last line clears the cutter blade. */
  readonly feedBeforeCutLines: number;
}

function profile(id: string, columns: Columns, qr: 'native' | 'raster'): PrinterProfile {
  return { id, columns, dotsWidth: dotsWidthByColumns[columns], qr, qrModuleDots: columns === 32 ? 5 : 6, feedBeforeCutLines: 4 };
}

/** Built-in profiles. "-raster" ones are for printers whose firmware ignores GS ( k (many 58 mm clones). */
export const printerProfiles: ReadonlyMap<string, PrinterProfile> = new Map(
  [
    profile('generic-58', 32, 'native'),
    profile('generic-58-raster', 32, 'raster'),
    profile('generic-80', 48, 'native'),
    profile('generic-80-raster', 48, 'raster'),
    profile('epson-tm-t88', 42, 'native'),
    profile('generic-80-42', 42, 'native'),
    profile('generic-80-42-raster', 42, 'raster'),
  ].map((p) => [p.id, p]),
);

export const defaultProfileId = 'generic-80';

/** Finds a profile by id, optionally overriding its columns and QR mode (CLI flags `--columns`, `--qr`). */
export function resolveProfile(
  id: string = defaultProfileId,
  overrides: { readonly columns?: number; readonly qr?: string } = {},
): PrinterProfile {
  const base = printerProfiles.get(id);
  if (!base) throw printerError('PRINTER_BAD_PROFILE', `${id} (${[...printerProfiles.keys()].join(', ')})`);
  let result = base;
  if (overrides.columns !== undefined) {
    const columns = supportedColumns.find((c) => c === overrides.columns);
    if (columns === undefined) throw printerError('PRINTER_BAD_PROFILE', `columns ${overrides.columns} (32, 42, 48)`);
    result = { ...result, columns, dotsWidth: dotsWidthByColumns[columns], qrModuleDots: columns === 32 ? 5 : 6 };
  }
  if (overrides.qr !== undefined) {
    if (overrides.qr !== 'native' && overrides.qr !== 'raster') throw printerError('PRINTER_BAD_PROFILE', `qr ${overrides.qr} (native, raster)`);
    result = { ...result, qr: overrides.qr };
  }
  return result;
}
