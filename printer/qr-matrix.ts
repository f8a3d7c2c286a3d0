import QRCode from 'qrcode';

/**
 * A QR code as a square of dark/light modules. The raster fallback draws it into an image for the
 * printer; the virtual printer draws what a native printer would from the GS ( k data. Both use the
 * same encoder settings as a printer told "model 2, level M": the smallest version that fits.
 */
export interface QrMatrix {
  readonly size: number;
  isDark(row: number, col: number): boolean;
}

export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

export function qrMatrix(text: string, level: QrErrorLevel = 'M'): QrMatrix {
  const code = QRCode.create(text, { errorCorrectionLevel: level });
  const { size } = code.modules;
  return { size, isDark: (row, col) => code.modules.get(row, col) === 1 };
}

/** Light modules around the code: the QR standard asks for 4 so that readers find the finder patterns. */
export const qrQuietModules = 4;

/**
 * The dots per module that fit `dotsWidth` with the quiet zone, at most `moduleDotsMax`; at least 1
 * (a code too big for the paper is refused earlier, by the QR text bound).
 */
export function fitModuleDots(matrixSize: number, dotsWidth: number, moduleDotsMax: number): number {
  return Math.max(1, Math.min(moduleDotsMax, Math.floor(dotsWidth / (matrixSize + 2 * qrQuietModules))));
}

/** RGBA pixels of the code with its quiet zone, width rounded up to a whole byte of dots. */
export function qrImage(matrix: QrMatrix, moduleDots: number): { width: number; height: number; data: Uint8ClampedArray } {
  const side = (matrix.size + 2 * qrQuietModules) * moduleDots;
  const width = Math.ceil(side / 8) * 8;
  const height = side;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  const offset = qrQuietModules * moduleDots;
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (!matrix.isDark(row, col)) continue;
      for (let dy = 0; dy < moduleDots; dy++) {
        for (let dx = 0; dx < moduleDots; dx++) {
          const p = ((offset + row * moduleDots + dy) * width + offset + col * moduleDots + dx) * 4;
          data[p] = 0;
          data[p + 1] = 0;
          data[p + 2] = 0;
        }
      }
    }
  }
  return { width, height, data };
}
