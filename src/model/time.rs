//! The planning calendar: periods, their labels, and the conversion to months.

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
}

impl TimeFrame {
    pub fn new(
        periods: usize,
        period_weeks: f64,
        start: &str,
        horizon_months: f64,
        discount_rate: f64,
    ) -> Self {
        TimeFrame {
            periods,
            period_weeks,
            start: start.to_string(),
            labels: period_labels(start, periods, period_weeks),
            horizon_months,
            discount_rate,
        }
    }

    /// Months from the plan start to the end of `period` (0-based).
    pub fn period_end_months(&self, period: usize) -> f64 {
        (period + 1) as f64 * self.period_weeks / WEEKS_PER_MONTH
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

/// Labels for `periods` periods starting at `start`.
///
/// Quarters ("2027Q1") and halves ("2027H1") roll over the year; any label ending in a
/// number ("Sprint 14", "PI-3") counts up; anything else gets "+1", "+2", ... so that
/// every period stays addressable by name.
pub fn period_labels(start: &str, periods: usize, period_weeks: f64) -> Vec<String> {
    let start = start.trim();
    if let Some((year, q)) = parse_year_part(start, 'Q', 4) {
        if (period_weeks - 13.0).abs() < 1e-9 {
            return roll(year, q, 4, 'Q', periods);
        }
    }
    if let Some((year, h)) = parse_year_part(start, 'H', 2) {
        if (period_weeks - 26.0).abs() < 1e-9 {
            return roll(year, h, 2, 'H', periods);
        }
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
    (0..periods)
        .map(|k| {
            if k == 0 {
                start.to_string()
            } else {
                format!("{start}+{k}")
            }
        })
        .collect()
}

fn parse_year_part(label: &str, marker: char, parts: u32) -> Option<(i64, u32)> {
    let upper = label.to_ascii_uppercase();
    let (year, part) = upper.split_once(marker)?;
    let year = year.trim_end_matches(['-', ' ']);
    if year.len() != 4 {
        return None;
    }
    let year: i64 = year.parse().ok()?;
    let part: u32 = part.parse().ok()?;
    (1..=parts).contains(&part).then_some((year, part))
}

fn roll(year: i64, part: u32, parts: u32, marker: char, periods: usize) -> Vec<String> {
    (0..periods as u32)
        .map(|k| {
            let index = part - 1 + k;
            format!(
                "{}{marker}{}",
                year + (index / parts) as i64,
                index % parts + 1
            )
        })
        .collect()
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
        assert_eq!(period_labels("2027Q1", 2, 2.0), ["2027Q1", "2027Q2"]);
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
