import { businessDateOf, dayBoundsMs, reportTimeZone } from './business-day.js';

/**
 * Business dates of many instants in a row. A shop's entries come in time order, so the day of the
 * previous instant nearly always answers the next one: one interval test instead of a time-zone
 * conversion per entry.
 */
export class DayClock {
  private date = '';
  private startMs = 0;
  private endMs = 0;

  constructor(readonly timeZone: string = reportTimeZone) {}

  dateOf(timeMs: number): string {
    if (timeMs >= this.startMs && timeMs < this.endMs) return this.date;
    this.date = businessDateOf(timeMs, this.timeZone);
    const bounds = dayBoundsMs(this.date, this.timeZone);
    this.startMs = bounds.startMs;
    this.endMs = bounds.endMs;
    return this.date;
  }
}
