//! Calendar dates and where they fall among the plan's periods: the one place that parses
//! "2027-09-30", counts days, and maps a date onto a period by the rules the format reference
//! states (scenarios/README.md, "Dates").
//!
//! A plan is anchored to the calendar by a start date: `start = "2027-01-04"`, `start_date`
//! beside a label, or the first day of a calendar quarter or half its labels name ("2027Q1").
//! Periods labelled as quarters or halves are calendar quarters or halves (2027Q2 runs from
//! April 1 to June 30), so a date means what a product lead reading the labels expects; other
//! periods are `period_weeks` × 7 days each from the start date.

use serde::Serialize;
use std::fmt;

/// A day of the proleptic Gregorian calendar, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date(i64);

/// Days from 1970 a date may lie, either way: far beyond any plan, far within i64.
const MAX_DAYS: i64 = 10_000_000;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// What a reference that may be a date is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateText {
    /// Not written as a date at all (a period label or number).
    NotADate,
    Date(Date),
    /// Written like a date but not one: why, in words.
    Malformed(String),
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The date of a year, month (1-12) and day (1-31), if it exists.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        // Days from civil (H. Hinnant): years counted from March, so February's length is last.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Year, month (1-12) and day (1-31).
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    pub fn days(self) -> i64 {
        self.0
    }

    /// The day `days` after this one. Kept within some 27,000 years of 1970, so that day
    /// arithmetic on an absurd period length (validation warns above a year) cannot overflow.
    pub fn plus_days(self, days: i64) -> Date {
        Date(self.0.saturating_add(days).clamp(-MAX_DAYS, MAX_DAYS))
    }

    /// The first day of the month `months` after this date's month.
    fn month_start_after(self, months: i64) -> Date {
        let (year, month, _) = self.ymd();
        let index = year * 12 + i64::from(month) - 1 + months;
        Date::from_ymd(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
            .unwrap_or(self.plus_days(months.saturating_mul(30)))
    }

    /// "Jan 4 2027": how a period starting on this day is labelled.
    pub fn label(self) -> String {
        let (year, month, day) = self.ymd();
        format!("{} {day} {year}", MONTHS[month as usize - 1])
    }

    /// Reads "2027-09-30". Text with three numbers separated by `-`, `/` or `.` is taken to be
    /// meant as a date, and refused with the reason when it is not one in that form.
    pub fn parse(text: &str) -> DateText {
        let text = text.trim();
        let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
        let numeric =
            |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
        if parts.len() != 3 || !parts.iter().all(numeric) {
            return DateText::NotADate;
        }
        let iso = parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && text.as_bytes()[4] == b'-'
            && text.as_bytes()[7] == b'-';
        if !iso {
            return DateText::Malformed(format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        let (year, month, day): (i64, u32, u32) =
            match (parts[0].parse(), parts[1].parse(), parts[2].parse()) {
                (Ok(y), Ok(m), Ok(d)) => (y, m, d),
                _ => return DateText::Malformed(format!("`{text}` is not a date")),
            };
        match Date::from_ymd(year, month, day) {
            Some(date) => DateText::Date(date),
            None if !(1..=12).contains(&month) => {
                DateText::Malformed(format!("`{text}` is not a date: there is no month {month}"))
            }
            None => DateText::Malformed(format!(
                "`{text}` is not a date: {} {year} has {} days",
                MONTHS[month as usize - 1],
                days_in_month(year, month)
            )),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// How the plan's periods follow one another on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Step {
    /// Calendar quarters (3) or halves (6): each period after the first starts on the first
    /// day of its month.
    Months(u32),
    /// A fixed length in days (`period_weeks` × 7).
    Days(f64),
}

/// Where a date lies for a rule that reads it as a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// The period the rule gives; `exact` when the date is the boundary the rule reads (a due
    /// date on a period's last day, a start date on its first), so nothing was rounded.
    Period { period: usize, exact: bool },
    /// Before the plan's first day.
    BeforeStart,
    /// A due date on or after the first day but before the first period ends: no delivery
    /// can be that early.
    BeforeFirstEnd,
    /// A due date after the last period ends, or a start after the last period starts;
    /// `periods` is how many periods the plan would need to reach it (when within reach).
    AfterEnd { periods: Option<usize> },
}

/// The plan's periods on the calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calendar {
    /// The first day of the first period.
    pub start: Date,
    pub step: Step,
    pub periods: usize,
    pub period_weeks: f64,
}

/// How far past the plan a date may lie for validation to say how many periods would reach it.
const REACH_PERIODS: usize = 520;

impl Calendar {
    /// The first day of period `k` (0-based); `k` = the number of periods is the day after the
    /// plan ends. Any `k` may be asked for, past the plan too.
    pub fn first_day(&self, k: usize) -> Date {
        match self.step {
            _ if k == 0 => self.start,
            Step::Months(months) => self.start.month_start_after(k as i64 * i64::from(months)),
            Step::Days(days) => self
                .start
                .plus_days((k as f64 * days + 1e-9).floor() as i64),
        }
    }

    /// The last day of period `k`.
    pub fn last_day(&self, k: usize) -> Date {
        self.first_day(k + 1).plus_days(-1)
    }

    /// A due date (a deadline, a deal's `by`): delivered by the end of that day, so the last
    /// period that ends on or before it.
    pub fn due_by(&self, date: Date) -> Placed {
        if date < self.start {
            return Placed::BeforeStart;
        }
        if date < self.last_day(0) {
            return Placed::BeforeFirstEnd;
        }
        if date > self.last_day(self.periods - 1) {
            let periods = (self.periods..REACH_PERIODS.max(self.periods + 1))
                .find(|&k| self.last_day(k) >= date)
                .map(|k| k + 1);
            return Placed::AfterEnd { periods };
        }
        let period = (0..self.periods)
            .rev()
            .find(|&k| self.last_day(k) <= date)
            .unwrap_or(0);
        Placed::Period {
            period,
            exact: self.last_day(period) == date,
        }
    }

    /// A start date (`earliest`): no work before that day, so the first period that starts on
    /// or after it. A date before the plan starts is the first period: nothing was rounded,
    /// since no work happens before the plan anyway.
    pub fn open_from(&self, date: Date) -> Placed {
        if date <= self.start {
            return Placed::Period {
                period: 0,
                exact: true,
            };
        }
        match (1..self.periods).find(|&k| self.first_day(k) >= date) {
            Some(period) => Placed::Period {
                period,
                exact: self.first_day(period) == date,
            },
            None => Placed::AfterEnd {
                periods: (self.periods..REACH_PERIODS.max(self.periods + 1))
                    .find(|&k| self.first_day(k) >= date)
                    .map(|k| k + 1),
            },
        }
    }

    /// The period containing a date (clamped to the plan).
    pub fn period_containing(&self, date: Date) -> usize {
        (0..self.periods)
            .rev()
            .find(|&k| self.first_day(k) <= date)
            .unwrap_or(0)
    }

    /// The moment the end of `date` is, in weeks of the plan's clock from its start: each
    /// period's days spread evenly over its `period_weeks`, so the end of a period's last day
    /// is the period's end. Outside the plan, 7 days a week (negative before it starts).
    pub fn weeks_at_end_of(&self, date: Date) -> f64 {
        let next = date.plus_days(1);
        if next <= self.start {
            return (next.days() - self.start.days()) as f64 / 7.0;
        }
        let end = self.first_day(self.periods);
        if next >= end {
            return self.periods as f64 * self.period_weeks
                + (next.days() - end.days()) as f64 / 7.0;
        }
        let k = self.period_containing(date);
        let (a, b) = (self.first_day(k).days(), self.first_day(k + 1).days());
        (k as f64 + (next.days() - a) as f64 / (b - a).max(1) as f64) * self.period_weeks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        match Date::parse(text) {
            DateText::Date(d) => d,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn dates_round_trip_and_count_days() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2027-01-04",
            "2027-12-31",
            "2100-03-01",
        ] {
            assert_eq!(d(text).to_string(), text);
        }
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2028-01-01").days() - d("2027-01-01").days(), 365);
        assert_eq!(d("2029-01-01").days() - d("2028-01-01").days(), 366);
        assert_eq!(d("2027-01-04").label(), "Jan 4 2027");
    }

    #[test]
    fn malformed_dates_say_why() {
        assert_eq!(Date::parse("2027Q3"), DateText::NotADate);
        assert_eq!(Date::parse("3"), DateText::NotADate);
        assert_eq!(Date::parse("Sprint 14"), DateText::NotADate);
        assert_eq!(
            Date::parse("2027-02-30"),
            DateText::Malformed("`2027-02-30` is not a date: Feb 2027 has 28 days".into())
        );
        assert_eq!(
            Date::parse("2027-13-01"),
            DateText::Malformed("`2027-13-01` is not a date: there is no month 13".into())
        );
        assert_eq!(
            Date::parse("30/09/2027"),
            DateText::Malformed("`30/09/2027` is not a date in the form YYYY-MM-DD".into())
        );
    }

    fn quarters() -> Calendar {
        Calendar {
            start: d("2027-01-01"),
            step: Step::Months(3),
            periods: 4,
            period_weeks: 13.0,
        }
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        let c = quarters();
        assert_eq!(c.first_day(1), d("2027-04-01"));
        assert_eq!(c.last_day(1), d("2027-06-30"));
        assert_eq!(c.last_day(3), d("2027-12-31"));
        // A due date on a quarter's last day is that quarter; inside one, the quarter before.
        assert_eq!(
            c.due_by(d("2027-06-30")),
            Placed::Period {
                period: 1,
                exact: true
            }
        );
        assert_eq!(
            c.due_by(d("2027-08-15")),
            Placed::Period {
                period: 1,
                exact: false
            }
        );
        assert_eq!(c.due_by(d("2027-02-01")), Placed::BeforeFirstEnd);
        assert_eq!(c.due_by(d("2026-12-31")), Placed::BeforeStart);
        assert_eq!(
            c.due_by(d("2028-03-31")),
            Placed::AfterEnd { periods: Some(5) }
        );
        // A start date inside a quarter is the next one; on its first day, that one.
        assert_eq!(
            c.open_from(d("2027-04-01")),
            Placed::Period {
                period: 1,
                exact: true
            }
        );
        assert_eq!(
            c.open_from(d("2027-03-15")),
            Placed::Period {
                period: 1,
                exact: false
            }
        );
        assert_eq!(
            c.open_from(d("2026-11-01")),
            Placed::Period {
                period: 0,
                exact: true
            }
        );
        assert_eq!(
            c.open_from(d("2027-10-02")),
            Placed::AfterEnd { periods: Some(5) }
        );
        // The end of a quarter's last day is the period's end on the plan's clock.
        assert!((c.weeks_at_end_of(d("2027-06-30")) - 26.0).abs() < 1e-9);
        assert!((c.weeks_at_end_of(d("2027-12-31")) - 52.0).abs() < 1e-9);
        assert!((c.weeks_at_end_of(d("2026-12-24")) + 1.0).abs() < 1e-9);
    }

    #[test]
    fn sprints_count_days_from_the_start() {
        let c = Calendar {
            start: d("2027-01-04"),
            step: Step::Days(14.0),
            periods: 3,
            period_weeks: 2.0,
        };
        assert_eq!(c.first_day(1), d("2027-01-18"));
        assert_eq!(c.last_day(2), d("2027-02-14"));
        assert_eq!(
            c.due_by(d("2027-01-31")),
            Placed::Period {
                period: 1,
                exact: true
            }
        );
        assert!((c.weeks_at_end_of(d("2027-01-10")) - 1.0).abs() < 1e-9);
        assert!((c.weeks_at_end_of(d("2027-02-21")) - 7.0).abs() < 1e-9);
    }
}
