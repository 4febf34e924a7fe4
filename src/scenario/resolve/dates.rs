//! Periods written as dates: which period a date means for the field it is in, and what
//! validation says when a date is not a period's boundary, lies outside the plan, or the plan
//! has no start date to count from (scenarios/README.md, "Dates").

use super::super::draft::{DraftVendorReady, PeriodRef};
use super::super::finding::{Finding, Findings};
use crate::model::calendar::{Calendar, Date, DateText, Placed};
use crate::model::{TimeFrame, VendorReady};

/// How a field reads a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reads {
    /// Delivered by the end of the day (`deadline`, its `limit`, a deal's `by`): the last
    /// period that ends on or before it.
    Due,
    /// No work before the day (`earliest`): the first period that starts on or after it.
    Open,
}

/// What a reference is, once its text is looked at.
pub(crate) enum Written {
    /// A period label or number, for [`TimeFrame::find_period`].
    Period,
    Date(Date),
}

/// Whether `r` is written as a date; a malformed date is reported and gives None.
pub(crate) fn written(findings: &mut Findings, r: &PeriodRef) -> Option<Written> {
    match Date::parse(&r.text) {
        DateText::NotADate => Some(Written::Period),
        DateText::Date(date) => Some(Written::Date(date)),
        DateText::Malformed(why) => {
            findings.push(
                Finding::error(r.location.clone(), &r.field, why)
                    .help("write a date as YYYY-MM-DD, e.g. \"2027-09-30\", or a period such as \"2027Q3\" or 3"),
            );
            None
        }
    }
}

/// The plan's calendar, or an error at `r` saying how to give the plan a start date.
fn calendar<'t>(
    findings: &mut Findings,
    time: &'t TimeFrame,
    r: &PeriodRef,
) -> Option<&'t Calendar> {
    if time.calendar.is_none() {
        findings.push(
            Finding::error(
                r.location.clone(),
                &r.field,
                format!("`{}` is a date, but the plan has no start date to count periods from", r.text),
            )
            .help(format!(
                "add start_date = \"YYYY-MM-DD\" to [plan] (the first day of {}), or write start as a date or a calendar quarter such as \"2027Q1\"; or write the period instead",
                time.labels[0]
            )),
        );
    }
    time.calendar.as_ref()
}

/// "2027Q3 (2027-07-01 to 2027-09-30)".
fn span(time: &TimeFrame, calendar: &Calendar, period: usize) -> String {
    format!(
        "{} ({} to {})",
        time.label(period),
        calendar.first_day(period),
        calendar.last_day(period)
    )
}

/// The period a date means in a field that reads it as `reads`, with a warning when the date
/// is inside a period (so the reading rounded it) and an error when it is outside the plan.
pub(crate) fn date_period(
    findings: &mut Findings,
    time: &TimeFrame,
    r: &PeriodRef,
    date: Date,
    reads: Reads,
) -> Option<usize> {
    let calendar = calendar(findings, time, r)?;
    let last = time.periods - 1;
    let placed = match reads {
        Reads::Due => calendar.due_by(date),
        Reads::Open => calendar.open_from(date),
    };
    let error = |message: String, help: String| {
        Finding::error(r.location.clone(), &r.field, message).help(help)
    };
    match placed {
        Placed::Period { period, exact } => {
            if !exact {
                findings.push(inexact(time, calendar, r, date, period, reads));
            }
            return Some(period);
        }
        Placed::BeforeStart => findings.push(error(
            format!(
                "{date} is before the plan starts: {} begins {}",
                time.labels[0], calendar.start
            ),
            format!(
                "check the year: the plan runs from {} to {}",
                calendar.start,
                calendar.last_day(last)
            ),
        )),
        Placed::BeforeFirstEnd => findings.push(error(
            format!(
                "{date} is before the plan's first period ends ({}), and work is delivered at the end of a period",
                span(time, calendar, 0)
            ),
            format!(
                "check the date; the earliest due date a plan can meet is {}",
                calendar.last_day(0)
            ),
        )),
        Placed::AfterEnd { periods } => {
            let (what, bound) = match reads {
                Reads::Due => ("ends", calendar.last_day(last)),
                Reads::Open => ("starts", calendar.first_day(last)),
            };
            let extend = periods.map_or(String::new(), |k| {
                format!(", or extend plan.periods to {k}")
            });
            findings.push(error(
                format!(
                    "{date} is after the plan's last period {what} ({} {what} {bound})",
                    time.labels[last]
                ),
                format!("use a date up to {bound}{extend}"),
            ));
        }
    }
    None
}

/// The note that a date inside a period was read as a neighbouring period's boundary.
fn inexact(
    time: &TimeFrame,
    calendar: &Calendar,
    r: &PeriodRef,
    date: Date,
    period: usize,
    reads: Reads,
) -> Finding {
    let inside = calendar.period_containing(date);
    let label = &time.labels[period];
    let (message, help) = match reads {
        Reads::Due => (
            format!(
                "{date} falls inside {}: read as due by the end of {label} ({}), the last period that ends by then",
                span(time, calendar, inside),
                calendar.last_day(period)
            ),
            format!(
                "write \"{label}\" to say so, or \"{}\" if delivery by {} is soon enough",
                time.labels[inside],
                calendar.last_day(inside)
            ),
        ),
        Reads::Open => (
            format!(
                "{date} falls inside {}: read as {label} (from {}), the first period that starts on or after it",
                span(time, calendar, inside),
                calendar.first_day(period)
            ),
            format!(
                "write \"{label}\" to say so, or \"{}\" if work may start during it",
                time.labels[inside]
            ),
        ),
    };
    Finding::warning(r.location.clone(), &r.field, message).help(help)
}

/// A vendor's ready date on the plan's clock. It must be a date; one before the plan starts is
/// simply ready, one after the plan ends leaves the feature out of reach (reported by the
/// reachability check, which says why).
pub(crate) fn vendor_ready(
    findings: &mut Findings,
    time: &TimeFrame,
    draft: &DraftVendorReady,
) -> Option<VendorReady> {
    let r = &draft.date;
    let date = match written(findings, r)? {
        Written::Date(date) => date,
        Written::Period => {
            findings.push(
                Finding::error(r.location.clone(), &r.field, format!("`{}` is not a date", r.text))
                    .help("vendor_ready is the calendar date the vendor's part is promised for, e.g. \"2027-03-15\"; a lead time counted from the feature's start is vendor_lead_weeks"),
            );
            return None;
        }
    };
    let calendar = calendar(findings, time, r)?;
    Some(VendorReady {
        date,
        weeks: calendar.weeks_at_end_of(date),
        delay_weeks: draft.delay_weeks,
    })
}
