import { defineErrors, errorFactory } from '../domain/error-spec.js';

/**
 * The printer's error catalogue. Most of these never cross a sale as exceptions: `Printer.print*` turns
 * them into a `PrintOutcome` ("queued, will retry" or "refused, why"). The CLI throws them.
 */
export const printerErrors = defineErrors({
  PRINTER_BAD_TARGET: {
    status: 400,
    fr: "adresse d'imprimante invalide (attendu tcp://HÔTE:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0 ou file:CHEMIN)",
    en: 'invalid printer address (expected tcp://HOST:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0 or file:PATH)',
  },
  PRINTER_BAD_PROFILE: {
    status: 400,
    fr: "profil d'imprimante inconnu ou invalide",
    en: 'unknown or invalid printer profile',
  },
  PRINTER_VIEW_INVALID: {
    status: 422,
    fr: 'données du ticket invalides',
    en: 'invalid ticket data',
  },
  PRINTER_JOB_TOO_LARGE: {
    status: 413,
    fr: "document trop grand pour l'imprimante",
    en: 'document too large for the printer',
  },
  PRINTER_UNREACHABLE: {
    status: 503,
    fr: "imprimante injoignable (éteinte, débranchée ou mauvaise adresse)",
    en: 'printer unreachable (off, unplugged or wrong address)',
  },
  PRINTER_DISCONNECTED: {
    status: 503,
    fr: "l'imprimante s'est déconnectée pendant l'impression",
    en: 'the printer disconnected while printing',
  },
  PRINTER_TIMEOUT: {
    status: 504,
    fr: "l'imprimante ne répond pas dans le délai",
    en: 'the printer did not answer in time',
  },
  PRINTER_OFFLINE: {
    status: 503,
    fr: "l'imprimante est hors ligne",
    en: 'the printer is offline',
  },
  PRINTER_PAPER_OUT: {
    status: 503,
    fr: "plus de papier dans l'imprimante",
    en: 'the printer is out of paper',
  },
  PRINTER_COVER_OPEN: {
    status: 503,
    fr: "le capot de l'imprimante est ouvert",
    en: "the printer's cover is open",
  },
  PRINTER_FAULT: {
    status: 503,
    fr: "l'imprimante signale une erreur (massicot, tête ou surchauffe)",
    en: 'the printer reports an error (cutter, head or overheating)',
  },
  PRINTER_QUEUE_FULL: {
    status: 507,
    fr: "file d'attente d'impression pleine : ticket non imprimé",
    en: 'print queue full: ticket not printed',
  },
  PRINTER_QUEUE_CORRUPT: {
    status: 500,
    fr: "fichier de file d'impression abîmé : mis de côté, les travaux lisibles sont gardés",
    en: 'damaged print queue file: set aside, the readable jobs kept',
  },
  PRINTER_NOT_FOUND: {
    status: 404,
    fr: 'ticket introuvable pour une réimpression',
    en: 'ticket not found for a reprint',
  },
  PRINTER_IO: {
    status: 500,
    fr: "erreur d'entrée-sortie vers l'imprimante",
    en: 'input/output error towards the printer',
  },
});

export type PrinterErrorCode = keyof typeof printerErrors;

export const printerError = errorFactory(printerErrors);
