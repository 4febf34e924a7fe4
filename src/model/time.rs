//! The planning calendar: periods, their labels, and the conversion to months.

use super::calendar::{Calendar, Date, DateText, Step};
use serde::Serialize;

/// Weeks in a year over months in a year: converts period lengths into months of value.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeFrame {
    pub periods: usize,
    pub period_weeks: f64,
    pub start: String,
    /// One label per period, derived from `start` (2027Q1, 2027Q2, ... or Sprint 14, Sprint 15, ...).
    pub labels: Vec<String>,
    /// Value is counted from delivery until this many months after the plan starts.
    pub horizon_months: f64,
    /// Annual rate; value and costs are discounted monthly at (1 + rate)^(1/12).
    pub discount_rate: f64,
    /// The periods on the calendar, when the plan has a start date (written, or the first day
    /// of the calendar quarter or half its labels name): what lets fields be written as dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Calendar>,
}

impl TimeFrame {
    pub fn new(
        periods: usize,
        period_weeks: f64,
        start: &str,
        horizon_months: f64,
        discount_rate: f64,
    ) -> Self {
        let calendar = start_calendar(start, periods, period_weeks);
        TimeFrame {
            periods,
            period_weeks,
            start: start.to_string(),
            labels: labels_from(start, calendar.as_ref(), periods, period_weeks),
            horizon_months,
            discount_rate,
            calendar,
        }
    }

    /// The plan with its first period starting on `date` (`[plan] start_date`), its labels
    /// kept as `start` writes them: quarter and half labels step by calendar quarters and
    /// halves, others by `period_weeks` × 7 days.
    pub fn anchored(mut self, date: Date) -> Self {
        let step = match CalendarLabel::parse(self.start.trim()) {
            Some(label) if label.rolls(self.period_weeks) => Step::Months(12 / label.parts()),
            _ => Step::Days(self.period_weeks * 7.0),
        };
        self.calendar = Some(Calendar {
            start: date,
            step,
            periods: self.periods,
            period_weeks: self.period_weeks,
        });
        self
    }

    /// The plan's first day when the scenario writes it (`start` as a date, or `start_date`),
    /// rather than the calendar quarter or half its labels imply.
    pub fn written_start_date(&self) -> Option<Date> {
        let implied = start_calendar(&self.start, self.periods, self.period_weeks);
        match (&self.calendar, implied) {
            (Some(c), _) if matches!(Date::parse(&self.start), DateText::Date(_)) => Some(c.start),
            (Some(c), Some(i)) if *c != i => Some(c.start),
            (Some(c), None) => Some(c.start),
            _ => None,
        }
    }

    /// Labels for the first `n` periods, past the plan's end too: what a label the plan would
    /// reach later is called.
    pub fn labels_for(&self, n: usize) -> Vec<String> {
        let calendar = self.calendar.as_ref().map(|c| Calendar {
            periods: n,
            ..c.clone()
        });
        match Date::parse(&self.start) {
            DateText::Date(_) => labels_from(&self.start, calendar.as_ref(), n, self.period_weeks),
            _ => period_labels(&self.start, n, self.period_weeks),
        }
    }

    /// Months from the plan start to the end of `period` (0-based).
    pub fn period_end_months(&self, period: usize) -> f64 {
        (period + 1) as f64 * self.period_weeks / WEEKS_PER_MONTH
    }

    /// The period a feature delivered in `period` starts in, as a plan counts it: the latest
    /// period start from which `lead_weeks` (its vendor lead time and risk delays) still end by
    /// the end of `period`, but not before `open` (its earliest period) nor after `period`. The
    /// plan engages the vendor and pays the feature's one-off costs then; the optimizer and the
    /// simulator both use this, so they count the same clock.
    pub fn planned_start(&self, open: usize, period: usize, lead_weeks: f64) -> usize {
        let w = self.period_weeks;
        let latest = ((period + 1) as f64 * w - lead_weeks.max(0.0)) / w;
        // A hair of tolerance: a lead of exactly one period starts one period earlier, not two.
        let latest = (latest + 1e-9).floor().max(0.0) as usize;
        latest.min(period).max(open)
    }

    /// The label of a 0-based period, or "period N" (1-based) for one the calendar does not
    /// have, so a message about a plan that runs past the end still names it.
    pub fn label(&self, period: usize) -> String {
        self.labels
            .get(period)
            .cloned()
            .unwrap_or_else(|| format!("period {}", period.saturating_add(1)))
    }

    /// A run of periods: "2027Q1", or "2027Q1–2027Q3".
    pub fn span_label(&self, first: usize, last: usize) -> String {
        if first == last {
            self.label(first)
        } else {
            format!("{}–{}", self.label(first), self.label(last))
        }
    }

    pub fn plan_months(&self) -> f64 {
        self.periods as f64 * self.period_weeks / WEEKS_PER_MONTH
    }

    /// Resolves a period reference: a label ("2027Q3") or a 1-based number.
    pub fn find_period(&self, reference: &str) -> Option<usize> {
        let trimmed = reference.trim();
        if let Some(i) = self
            .labels
            .iter()
            .position(|l| l.eq_ignore_ascii_case(trimmed))
        {
            return Some(i);
        }
        match trimmed.parse::<usize>() {
            Ok(n) if n >= 1 && n <= self.periods => Some(n - 1),
            _ => None,
        }
    }
}

/// The calendar a plan's `start` implies: a date, or a calendar quarter ("2027Q1", "Q1 2027",
/// "2027-Q1") or half ("2027H2") whose periods are quarters or halves. A fiscal year
/// ("FY27 Q1") or a sprint says nothing about the calendar: such plans give `start_date`.
fn start_calendar(start: &str, periods: usize, period_weeks: f64) -> Option<Calendar> {
    let (start, step) = match Date::parse(start) {
        DateText::Date(date) => (date, date_step(date, period_weeks)),
        _ => {
            let label = CalendarLabel::parse(start.trim())?;
            if !label.rolls(period_weeks) || !label.prefix.is_empty() || label.year_digits != 4 {
                return None;
            }
            let months = 12 / label.parts();
            let month = (label.part - 1) * months + 1;
            (
                Date::from_ymd(i64::from(label.year), month, 1)?,
                Step::Months(months),
            )
        }
    };
    Some(Calendar {
        start,
        step,
        periods,
        period_weeks,
    })
}

/// How far into a quarter (or half) a plan may start, in days, for its periods still to be
/// that quarter and the ones after it: a plan starting on the first Monday of January is
/// 2027Q1.
const ALIGNED_DAYS: u32 = 7;

/// How periods from a start date step: calendar quarters (or halves) when they are 13 (26)
/// weeks long and the date is in the first week of one, else a fixed number of days.
fn date_step(date: Date, period_weeks: f64) -> Step {
    let (_, month, day) = date.ymd();
    let quarterly = (period_weeks - 13.0).abs() < 1e-9 && (month - 1) % 3 == 0;
    let halves = (period_weeks - 26.0).abs() < 1e-9 && (month - 1) % 6 == 0;
    match (quarterly, halves) {
        (true, _) if day <= ALIGNED_DAYS => Step::Months(3),
        (_, true) if day <= ALIGNED_DAYS => Step::Months(6),
        _ => Step::Days(period_weeks * 7.0),
    }
}

/// Labels of a plan: from a start date, quarters ("2027Q1") or halves ("2027H1") when its
/// periods step as such, else each period's first day ("Jan 4 2027", never a date that could
/// be read as one); from a label, [`period_labels`].
fn labels_from(
    start: &str,
    calendar: Option<&Calendar>,
    periods: usize,
    period_weeks: f64,
) -> Vec<String> {
    let (DateText::Date(date), Some(calendar)) = (Date::parse(start), calendar) else {
        return period_labels(start, periods, period_weeks);
    };
    let (year, month, _) = date.ymd();
    match calendar.step {
        Step::Months(3) => period_labels(&format!("{year}Q{}", (month - 1) / 3 + 1), periods, 13.0),
        Step::Months(_) => period_labels(&format!("{year}H{}", (month - 1) / 6 + 1), periods, 26.0),
        Step::Days(_) => {
            let labels: Vec<String> = (0..periods)
                .map(|k| calendar.first_day(k).label())
                .collect();
            // Periods shorter than a day would share labels: count them up instead.
            if labels.windows(2).any(|w| w[0] == w[1]) {
                let first = date.label();
                (0..periods)
                    .map(|k| {
                        if k == 0 {
                            first.clone()
                        } else {
                            format!("{first}+{k}")
                        }
                    })
                    .collect()
            } else {
                labels
            }
        }
    }
}

/// Labels for `periods` periods starting at `start`.
///
/// Quarters ("2027Q1", "2027-Q3", "FY27 Q1", "Q1 2027") with 13-week periods and halves
/// ("2027H1") with 26-week periods roll over the year in the format written; any other label
/// ending in a number ("Sprint 14", "PI-3") counts up; anything else, including a quarter label
/// with periods that are not quarters, gets "+1", "+2", ... so every period stays addressable.
pub fn period_labels(start: &str, periods: usize, period_weeks: f64) -> Vec<String> {
    let start = start.trim();
    let plus = |start: &str| -> Vec<String> {
        (0..periods)
            .map(|k| {
                if k == 0 {
                    start.to_string()
                } else {
                    format!("{start}+{k}")
                }
            })
            .collect()
    };
    if let Some(label) = CalendarLabel::parse(start) {
        if !label.rolls(period_weeks) {
            return plus(start);
        }
        return (0..periods as u32)
            .map(|k| label.advanced(k, label.parts()))
            .collect();
    }
    let digits_at = start
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i);
    if let Some(i) = digits_at {
        if let Ok(n) = start[i..].parse::<u64>() {
            let prefix = &start[..i];
            return (0..periods as u64)
                .map(|k| format!("{prefix}{}", n + k))
                .collect();
        }
    }
    plus(start)
}

/// A quarter or half label, kept as written so that later periods read the same way.
struct CalendarLabel<'a> {
    prefix: &'a str,
    year: u32,
    year_digits: usize,
    separator: &'a str,
    marker: char,
    part: u32,
    year_first: bool,
}

impl<'a> CalendarLabel<'a> {
    fn parse(label: &'a str) -> Option<Self> {
        Self::year_first(label).or_else(|| Self::part_first(label))
    }

    /// Quarters (4) or halves (2) in a year.
    fn parts(&self) -> u32 {
        if self.marker.eq_ignore_ascii_case(&'Q') {
            4
        } else {
            2
        }
    }

    /// Whether periods of `period_weeks` are this label's quarters or halves, so labels roll
    /// over the year.
    fn rolls(&self, period_weeks: f64) -> bool {
        (period_weeks - 52.0 / self.parts() as f64).abs() <= 1e-9
    }

    /// "2027Q1", "2027-Q3", "FY2027Q1", "FY27 Q1".
    fn year_first(label: &'a str) -> Option<Self> {
        let cut = label.len().checked_sub(1)?;
        if !label.is_char_boundary(cut) {
            return None;
        }
        let (head, part) = label.split_at(cut);
        let part: u32 = part.parse().ok()?;
        let marker = head.chars().last()?;
        let head = &head[..head.len() - marker.len_utf8()];
        let year_end = head.trim_end_matches(['-', ' ']).len();
        let separator = &head[year_end..];
        let digits = head[..year_end]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let prefix = &head[..year_end - digits];
        Self::build(
            prefix,
            &head[year_end - digits..year_end],
            separator,
            marker,
            part,
            true,
        )
    }

    /// "Q1 2027", "Q3-FY27".
    fn part_first(label: &'a str) -> Option<Self> {
        let mut chars = label.chars();
        let marker = chars.next()?;
        let part: u32 = chars.next()?.to_digit(10)?;
        let rest = &label[marker.len_utf8() + 1..];
        let body = rest.trim_start_matches(['-', ' ']);
        let separator = &rest[..rest.len() - body.len()];
        let digits = body
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let prefix = &body[..body.len() - digits];
        if separator.is_empty() {
            return None;
        }
        Self::build(
            prefix,
            &body[body.len() - digits..],
            separator,
            marker,
            part,
            false,
        )
    }

    fn build(
        prefix: &'a str,
        year: &str,
        separator: &'a str,
        marker: char,
        part: u32,
        year_first: bool,
    ) -> Option<Self> {
        let parts = match marker.to_ascii_uppercase() {
            'Q' => 4,
            'H' => 2,
            _ => return None,
        };
        if !(year.len() == 4 || year.len() == 2)
            || !(1..=parts).contains(&part)
            || prefix.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        Some(CalendarLabel {
            prefix,
            year: year.parse().ok()?,
            year_digits: year.len(),
            separator,
            marker,
            part,
            year_first,
        })
    }

    fn advanced(&self, k: u32, parts: u32) -> String {
        let index = self.part - 1 + k;
        let year = self.year + index / parts;
        let year = if self.year_digits == 2 {
            format!("{:02}", year % 100)
        } else {
            year.to_string()
        };
        let part = index % parts + 1;
        let (prefix, sep, marker) = (self.prefix, self.separator, self.marker);
        if self.year_first {
            format!("{prefix}{year}{sep}{marker}{part}")
        } else {
            format!("{marker}{part}{sep}{prefix}{year}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_roll_over_the_year() {
        assert_eq!(
            period_labels("2027Q3", 4, 13.0),
            ["2027Q3", "2027Q4", "2028Q1", "2028Q2"]
        );
    }

    #[test]
    fn sprints_count_up_and_other_labels_stay_addressable() {
        assert_eq!(
            period_labels("Sprint 14", 3, 2.0),
            ["Sprint 14", "Sprint 15", "Sprint 16"]
        );
        assert_eq!(period_labels("Launch", 2, 4.0), ["Launch", "Launch+1"]);
        // A quarter label with sprint-length periods is not a quarter sequence.
        assert_eq!(period_labels("2027Q1", 2, 2.0), ["2027Q1", "2027Q1+1"]);
        assert_eq!(period_labels("2027H2", 2, 13.0), ["2027H2", "2027H2+1"]);
    }

    #[test]
    fn calendar_labels_keep_the_format_they_were_written_in() {
        assert_eq!(period_labels("2027-Q4", 2, 13.0), ["2027-Q4", "2028-Q1"]);
        assert_eq!(period_labels("FY27 Q4", 2, 13.0), ["FY27 Q4", "FY28 Q1"]);
        assert_eq!(
            period_labels("FY2027Q3", 3, 13.0),
            ["FY2027Q3", "FY2027Q4", "FY2028Q1"]
        );
        assert_eq!(period_labels("Q4 2027", 2, 13.0), ["Q4 2027", "Q1 2028"]);
        assert_eq!(period_labels("2027H2", 2, 26.0), ["2027H2", "2028H1"]);
        assert_eq!(period_labels("Launch€", 2, 2.0), ["Launch€", "Launch€+1"]);
    }

    #[test]
    fn periods_resolve_by_label_or_number() {
        let t = TimeFrame::new(4, 13.0, "2027Q1", 36.0, 0.1);
        assert_eq!(t.find_period("2027q3"), Some(2));
        assert_eq!(t.find_period("4"), Some(3));
        assert_eq!(t.find_period("5"), None);
        assert!((t.period_end_months(3) - 12.0).abs() < 1e-12);
    }
}
