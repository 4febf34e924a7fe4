//! Number formatting shared by every table: thousands, k/M, percentages, money.

/// 1234567 -> "1,234,567" (rounded to whole units).
pub fn thousands(x: f64) -> String {
    crate::model::dist::group_thousands(x)
}

/// How many terminal columns a feature's name may take in a table or a list before it is cut.
pub const NAME_COLUMNS: usize = 40;

/// A feature as tables name it: "Checkout redesign (PAY-12)", its name cut to
/// [`NAME_COLUMNS`], and the id kept whole because that is what plan files and `--set` take.
pub fn feature_label(name: &str, id: &str) -> String {
    if name.trim().is_empty() || name == id {
        id.to_string()
    } else {
        format!("{} ({id})", super::table::truncate(name, NAME_COLUMNS))
    }
}

/// A feature by its name alone, cut to `columns` (its id when it has no name), for lists
/// where ids would be unreadable and the files beside them carry the ids.
pub fn feature_name(name: &str, id: &str, columns: usize) -> String {
    if name.trim().is_empty() {
        id.to_string()
    } else {
        super::table::truncate(name, columns)
    }
}

/// A count with thousands separators: 251,549 features.
pub fn count(n: usize) -> String {
    thousands(n as f64)
}

/// Compact form for summaries: 950, 9,999, 12.5k, 3.2M, 1.1B, 2.4T, and past a thousand
/// trillion 3.65e15. Three significant digits, so a binding budget of 2.45M is not shown as
/// 2.5M.
pub fn compact(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e4 {
        crate::model::dist::fmt_scaled(x)
    } else {
        thousands(x)
    }
}

/// A signed amount: "+$1.2M", "-$570k", "0" for no change at all.
pub fn signed_money(x: f64, currency: &str) -> String {
    if x == 0.0 {
        "0".into()
    } else if x < 0.0 {
        format!("-{}", money(-x, currency))
    } else {
        format!("+{}", money(x, currency))
    }
}

/// Money with the plan's currency: "$1.2M", "-€350k", "1,200 profit". The sign goes before the
/// currency symbol, as finance writes it.
pub fn money(x: f64, currency: &str) -> String {
    if x < 0.0 && currency_symbol(currency) {
        return format!("-{}", money(-x, currency));
    }
    match currency {
        "USD" | "$" => format!("${}", compact(x)),
        "EUR" | "€" => format!("€{}", compact(x)),
        "GBP" | "£" => format!("£{}", compact(x)),
        other => format!("{} {other}", compact(x)),
    }
}

fn currency_symbol(currency: &str) -> bool {
    matches!(currency, "USD" | "$" | "EUR" | "€" | "GBP" | "£")
}

pub fn percent(share: f64) -> String {
    // `+ 0.0` turns -0 into 0, so an empty sum never prints as "-0%".
    format!("{:.0}%", share * 100.0 + 0.0)
}

/// A probability for people: whole percents, one decimal near 0 and 1 so that 99.6% does not
/// read as certain, and "<0.1%" / ">99.9%" for what is possible but rare.
pub fn probability(p: f64) -> String {
    if p <= 0.0 {
        "0%".into()
    } else if p >= 1.0 {
        "100%".into()
    } else if p < 0.001 {
        "<0.1%".into()
    } else if p > 0.999 {
        ">99.9%".into()
    } else if !(0.01..=0.99).contains(&p) {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// Person-weeks with one decimal.
/// How a budget per period books spend, as the format reference states it; the recurring and
/// fixed-cost parts only when the scenario has them (`itemised`).
pub fn booking_rule(itemised: bool) -> &'static str {
    if itemised {
        "team time when released, one-off costs when started, recurring costs as paid, fixed-cost teams every period"
    } else {
        "team time when released, one-off costs when started"
    }
}

pub fn weeks(x: f64) -> String {
    format!("{x:.1}")
}

/// A report as pretty-printed JSON ending in a newline, as every `--format json` prints it.
/// "calibrated from 30 items (history.csv) for mobile, web" when the scenario's efforts carry
/// a `[calibration]` correction: every figure of a report depends on it, so reports say it.
pub fn calibrated(model: &crate::model::Model) -> Option<String> {
    model.calibration.as_ref().map(calibration_text)
}

pub fn calibration_text(c: &crate::model::Calibrated) -> String {
    let source = c
        .source
        .as_deref()
        .map_or_else(String::new, |s| format!(" ({s})"));
    format!(
        "calibrated from {} item{}{source} for {}",
        thousands(c.items as f64),
        if c.items == 1 { "" } else { "s" },
        c.teams.join(", ")
    )
}

pub fn json_text(report: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_like_a_finance_deck() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-999.0), "-999");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(3_000_000.0), "3M");
        assert_eq!(money(2_400_000.0, "USD"), "$2.4M");
        assert_eq!(money(2_450_000.0, "USD"), "$2.45M");
        assert_eq!(money(-8_870.0, "USD"), "-$8,870");
        assert_eq!(money(-1_500_000.0, "EUR"), "-€1.5M");
        assert_eq!(money(-2909.0, "profit"), "-2,909 profit");
        assert_eq!(compact(569_400.0), "569k");
        assert_eq!(money(2909.0, "profit"), "2,909 profit");
        assert_eq!(percent(0.456), "46%");
        assert_eq!(probability(0.9962), "99.6%");
        assert_eq!(probability(0.99999), ">99.9%");
        assert_eq!(probability(0.0004), "<0.1%");
        assert_eq!(probability(0.456), "46%");
        assert_eq!(probability(1.0), "100%");
        // An implausible input still reads: trillions, then scientific, never "3653710B".
        assert_eq!(money(3_653_710e9, "EUR"), "€3.65e15");
        assert_eq!(money(2.4e12, "USD"), "$2.4T");
        assert_eq!(money(999_999.0, "USD"), "$1M");
        assert_eq!(thousands(251_549.0), "251,549");
        assert_eq!(count(251_549), "251,549");
        assert_eq!(
            feature_label("Checkout redesign", "PAY-12"),
            "Checkout redesign (PAY-12)"
        );
        assert_eq!(feature_label("", "PAY-12"), "PAY-12");
        assert_eq!(
            feature_label(&"Long name ".repeat(10), "PAY-12"),
            "Long name Long name Long name Long name… (PAY-12)"
        );
        assert_eq!(feature_name("Checkout redesign", "PAY-12", 9), "Checkout…");
    }
}
