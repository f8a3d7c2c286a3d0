import { codeOf } from '../support/code-of.js';
import { describe, expect, test } from 'vitest';
import { businessDateOf, dayBoundsMs, nextDate, parseBusinessDate, parsePeriod } from '../../ledger/reports/business-day.js';
import { DayClock } from '../../ledger/reports/day-clock.js';
import { checkReportLimits } from '../../ledger/reports/limits.js';


const hourMs = 3600 * 1000;

describe('business days in Paris time', () => {
  test('an instant belongs to its Paris date', () => {
    expect(businessDateOf(Date.UTC(2026, 10, 23, 22, 59, 59))).toBe('2026-11-23');
    expect(businessDateOf(Date.UTC(2026, 10, 23, 23, 0, 0))).toBe('2026-11-24');
    expect(businessDateOf(Date.UTC(2026, 6, 14, 21, 59, 59))).toBe('2026-07-14');
    expect(businessDateOf(Date.UTC(2026, 6, 14, 22, 0, 0))).toBe('2026-07-15');
  });

  test('a day runs from Paris midnight to Paris midnight, 23 or 25 hours on clock-change days', () => {
    expect(dayBoundsMs('2026-11-23')).toEqual({ startMs: Date.UTC(2026, 10, 22, 23), endMs: Date.UTC(2026, 10, 23, 23) });
    const spring = dayBoundsMs('2026-03-29');
    expect(spring.endMs - spring.startMs).toBe(23 * hourMs);
    const autumn = dayBoundsMs('2026-10-25');
    expect(autumn.endMs - autumn.startMs).toBe(25 * hourMs);
    expect(dayBoundsMs('2026-07-14').startMs).toBe(Date.UTC(2026, 6, 13, 22));
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
  });

  test('the day clock answers like the time-zone conversion, in and out of order', () => {
    const clock = new DayClock();
    const start = Date.UTC(2026, 9, 24, 12);
    const instants = Array.from({ length: 200 }, (_, i) => start + ((i * 7919) % 97) * 47 * 60_000);
    for (const t of instants) expect(clock.dateOf(t)).toBe(businessDateOf(t));
  });

  test('dates typed by a person: the shape and a day that exists', () => {
    expect(parseBusinessDate('2026-11-23')).toBe('2026-11-23');
    expect(parseBusinessDate('2028-02-29')).toBe('2028-02-29');
    // The last day whose bounds can be computed: its next day still has a four-digit year.
    expect(dayBoundsMs(parseBusinessDate('9998-12-31')).endMs).toBeGreaterThan(dayBoundsMs('9998-12-30').endMs);
    for (const bad of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-11-00', '23/11/2026', '2026-11-23T10:00', '', '1999-12-31', '9999-12-31', '9999-01-01']) {
      expect(codeOf(() => parseBusinessDate(bad)), bad).toBe('REPORT_BAD_DATE');
    }
  });

  test('periods: a month already begun', () => {
    const nowMs = Date.UTC(2026, 10, 23, 10);
    expect(parsePeriod('2026-11', nowMs)).toEqual({ period: '2026-11', fromDate: '2026-11-01', toDate: '2026-11-30' });
    expect(parsePeriod('2024-02', nowMs)).toEqual({ period: '2024-02', fromDate: '2024-02-01', toDate: '2024-02-29' });
    // 23:30 UTC on 30 November is already December in Paris.
    expect(parsePeriod('2026-12', Date.UTC(2026, 10, 30, 23, 30)).fromDate).toBe('2026-12-01');
    for (const bad of ['2026-12', '2026-13', '2026-00', '2026-1', '11-2026', 'novembre']) {
      expect(codeOf(() => parsePeriod(bad, nowMs)), bad).toBe('REPORT_BAD_PERIOD');
    }
  });

  test('the limits fit together', () => {
    expect(() => checkReportLimits()).not.toThrow();
  });
});
