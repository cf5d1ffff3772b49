import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;

/** One local calendar day of the shop, with its UTC bounds. */
export interface ShopDay {
  /** UTC ms of local midnight, and of the next local midnight (23/25 h apart on DST days). */
  startMs: number;
  endMs: number;
  year: number;
  month: number; // 1-12
  day: number;
  /** 1 = Monday … 7 = Sunday (ISO, as luxon). */
  weekday: number;
  /** Fractional month position used for smooth yearly seasonality. */
  monthPosition: number;
}

export interface LocalMonth {
  year: number;
  month: number;
  label: string;
  start: Date;
  end: Date;
}

/**
 * The `days` whole local days ending with the local day that contains the last
 * instant before endDate. Local days matter because "last month" is resolved in
 * the shop's time zone, so planted months must line up with it.
 */
export function shopDays(timezone: string, endDate: Date, days: number): ShopDay[] {
  const lastDay = DateTime.fromMillis(endDate.getTime() - 1, { zone: timezone }).startOf('day');
  if (!lastDay.isValid) throw new Error(`invalid time zone: ${timezone}`);
  const first = lastDay.minus({ days: days - 1 });
  const out: ShopDay[] = [];
  let cursor = first;
  for (let i = 0; i < days; i++) {
    const next = cursor.plus({ days: 1 });
    out.push({
      startMs: cursor.toMillis(),
      endMs: next.toMillis(),
      year: cursor.year,
      month: cursor.month,
      day: cursor.day,
      weekday: cursor.weekday,
      monthPosition: cursor.month - 1 + (cursor.day - 1) / cursor.daysInMonth,
    });
    cursor = next;
  }
  return out;
}

/**
 * UTC ms of a local wall-clock second within a day. Plain arithmetic except on
 * DST-change days, where luxon resolves the wall time properly.
 */
export function localSecondToUtcMs(day: ShopDay, second: number, timezone: string): number {
  if (day.endMs - day.startMs === DAY_MS) return day.startMs + second * 1000;
  return DateTime.fromObject(
    {
      year: day.year,
      month: day.month,
      day: day.day,
      hour: Math.floor(second / 3600),
      minute: Math.floor((second % 3600) / 60),
      second: second % 60,
    },
    { zone: timezone },
  ).toMillis();
}

/** The local calendar month `offset` months from the one containing `at`. */
export function localMonth(timezone: string, at: Date, offset: number): LocalMonth {
  const start = DateTime.fromJSDate(at, { zone: timezone }).startOf('month').plus({ months: offset });
  return {
    year: start.year,
    month: start.month,
    label: start.toFormat('yyyy-MM'),
    start: start.toJSDate(),
    end: start.plus({ months: 1 }).toJSDate(),
  };
}

/** First local Wednesday on or after the 10th of a month: mid-month, mid-week. */
export function spikeDayOf(timezone: string, month: LocalMonth): { date: string; start: Date; end: Date } {
  let day = DateTime.fromObject({ year: month.year, month: month.month, day: 10 }, { zone: timezone });
  while (day.weekday !== 3) day = day.plus({ days: 1 });
  return {
    date: day.toFormat('yyyy-MM-dd'),
    start: day.toJSDate(),
    end: day.plus({ days: 1 }).toJSDate(),
  };
}
