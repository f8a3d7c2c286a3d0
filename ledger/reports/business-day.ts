import assert from 'node:assert/strict';
import { reportError } from './errors.js';

/**
 * Business days and periods in the shops' time zone. A sale belongs to the business day of the time
 * the ledger recorded it (its ledger time), read in Europe/Paris: the log is append-only and its clock
 * moves forward, so once a day is over nothing can join it and a Z report made again gives the same
 * figures (French till law wants closures that do not change). A till that was offline has its sales
 * closed on the day they reached the ledger.
 */
export const reportTimeZone = 'Europe/Paris';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const periodPattern = /^(\d{4})-(\d{2})$/;
const dayMs = 24 * 3600 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(timeMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = formatter(timeZone).formatToParts(new Date(timeMs));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The business date (YYYY-MM-DD) of an instant, in the given time zone. */
export function businessDateOf(timeMs: number, timeZone: string = reportTimeZone): string {
  const w = wallClock(timeMs, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The last year a business date may have: its day bounds need the next day, still of four digits. */
const businessYearMax = 9998;

/** Checks a YYYY-MM-DD date typed by a person: the shape and a day that exists. Throws REPORT_BAD_DATE. */
export function parseBusinessDate(text: string): string {
  const m = datePattern.exec(text);
  if (m === null) throw reportError('REPORT_BAD_DATE', text);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (year < 2000 || year > businessYearMax || utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw reportError('REPORT_BAD_DATE', text);
  }
  return text;
}

/** The offset of the zone's wall clock from UTC at an instant, in ms (Paris: +1 h in winter, +2 h in summer). */
function offsetMs(timeMs: number, timeZone: string): number {
  const w = wallClock(timeMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (timeMs - (timeMs % 1000 + 1000) % 1000);
}

/** The first instant of a business day in the zone (midnight there; Paris never changes its clocks at midnight). */
export function dayStartMs(date: string, timeZone: string = reportTimeZone): number {
  const m = datePattern.exec(date);
  assert.ok(m !== null, `not a date: ${date}`);
  const midnightUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let start = midnightUtc - offsetMs(midnightUtc, timeZone);
  start = midnightUtc - offsetMs(start, timeZone);
  assert.equal(businessDateOf(start, timeZone), date);
  assert.notEqual(businessDateOf(start - 1, timeZone), date);
  return start;
}

/** The day after a date, YYYY-MM-DD. */
export function nextDate(date: string): string {
  const m = datePattern.exec(date);
  assert.ok(m !== null, `not a date: ${date}`);
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + dayMs);
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** A business day as the half-open interval [startMs, endMs) of instants. */
export function dayBoundsMs(date: string, timeZone: string = reportTimeZone): { readonly startMs: number; readonly endMs: number } {
  const startMs = dayStartMs(date, timeZone);
  const endMs = dayStartMs(nextDate(date), timeZone);
  assert.ok(endMs > startMs);
  return { startMs, endMs };
}

export interface Period {
  /** YYYY-MM, as settlement entries carry it. */
  readonly period: string;
  /** First and last days of the month, inclusive. */
  readonly fromDate: string;
  readonly toDate: string;
}

/**
 * Checks a settlement period YYYY-MM: a month that has begun by `nowMs` (one cannot settle the future).
 * Throws REPORT_BAD_PERIOD.
 */
export function parsePeriod(text: string, nowMs: number, timeZone: string = reportTimeZone): Period {
  const m = periodPattern.exec(text);
  if (m === null) throw reportError('REPORT_BAD_PERIOD', text);
  const [year, month] = [Number(m[1]), Number(m[2])];
  if (year < 2000 || year > 2099 || month < 1 || month > 12) throw reportError('REPORT_BAD_PERIOD', text);
  const fromDate = `${m[1]}-${m[2]}-01`;
  if (businessDateOf(nowMs, timeZone) < fromDate) throw reportError('REPORT_BAD_PERIOD', text);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { period: text, fromDate, toDate: `${m[1]}-${m[2]}-${pad(lastDay)}` };
}
