//! Number formatting shared by every table: thousands, k/M, percentages, money.

/// 1234567 -> "1,234,567" (rounded to whole units).
pub fn thousands(x: f64) -> String {
    let negative = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative && digits != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// Compact form for summaries: 950, 12.5k, 3.2M, 1.1B.
pub fn compact(x: f64) -> String {
    let a = x.abs();
    let (v, unit) = if a >= 1e9 {
        (x / 1e9, "B")
    } else if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e4 {
        (x / 1e3, "k")
    } else {
        return thousands(x);
    };
    // Three significant digits, so a binding budget of 2.45M is not shown as 2.5M.
    let s = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{unit}")
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
pub fn weeks(x: f64) -> String {
    format!("{x:.1}")
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
    }
}
