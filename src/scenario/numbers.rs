//! Numbers as people write them in sheets and tracker exports: `6,000`, `1.500,5`, `80%`.
//!
//! One parser for the backlog CSV and for shares written as text in the TOML file, so a
//! `confidence` reads the same wherever it is written.

/// Which character a file uses between the whole and the fractional part of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,500.5`: English, and every comma-separated file.
    Point,
    /// `1.500,5`: most of Europe; spreadsheets there export with `;` between columns.
    Comma,
}

impl DecimalMark {
    pub fn symbol(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }
}

/// What a cell's text says, before the file's decimal mark is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// No separator at all (`1500`, `2.5e3`): the same in every convention.
    Plain(f64),
    /// Only a decimal point can explain it (`2.5`, `1,250,000.50`, `0.500`).
    Point(f64),
    /// Only a decimal comma can explain it (`2,5`, `1.500,5`, `1.250.000`).
    Comma(f64),
    /// `1.500` or `6,000`: a thousands separator or a decimal mark, depending on the file.
    Ambiguous {
        point: f64,
        comma: f64,
    },
    NotANumber,
}

impl Reading {
    /// The value under `mark`, or `None` when the text cannot be a number in that convention.
    pub fn value(self, mark: DecimalMark) -> Option<f64> {
        match (self, mark) {
            (Reading::Plain(v), _) => Some(v),
            (Reading::Point(v), DecimalMark::Point) | (Reading::Comma(v), DecimalMark::Comma) => {
                Some(v)
            }
            (Reading::Ambiguous { point, .. }, DecimalMark::Point) => Some(point),
            (Reading::Ambiguous { comma, .. }, DecimalMark::Comma) => Some(comma),
            _ => None,
        }
    }
}

/// Reads a number written with digit groups (`_`, spaces, `.` or `,`) and a decimal mark.
/// Allocates only when the text has separators to drop.
pub fn read_number(text: &str) -> Reading {
    let text = text.trim();
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text),
    };
    let signed = |r: Reading| match r {
        Reading::Plain(v) => Reading::Plain(sign * v),
        Reading::Point(v) => Reading::Point(sign * v),
        Reading::Comma(v) => Reading::Comma(sign * v),
        Reading::Ambiguous { point, comma } => Reading::Ambiguous {
            point: sign * point,
            comma: sign * comma,
        },
        Reading::NotANumber => Reading::NotANumber,
    };
    let spaced = body.contains(['_', ' ', '\u{a0}']);
    let owned;
    let body = if spaced {
        owned = body.replace(['_', ' ', '\u{a0}'], "");
        owned.as_str()
    } else {
        body
    };
    let dots = body.bytes().filter(|&b| b == b'.').count();
    let commas = body.bytes().filter(|&b| b == b',').count();
    let parse = |s: &str| s.parse::<f64>().ok();
    let reading = match (dots, commas) {
        (0, 0) => parse(body).map_or(Reading::NotANumber, Reading::Plain),
        (1, 0) | (0, 1) => {
            let sep = if dots == 1 { '.' } else { ',' };
            let (whole, frac) = body.split_once(sep).unwrap_or((body, ""));
            if !all_digits(frac) || !(whole.is_empty() || all_digits(whole)) {
                return parse(body).map_or(Reading::NotANumber, |v| signed(Reading::Plain(v)));
            }
            // Only `1.500`-like cells need a second reading, so only they allocate.
            let ambiguous = frac.len() == 3 && group_lead(whole);
            let grouped = || parse(&format!("{whole}{frac}"));
            match sep {
                '.' => match (parse(body), ambiguous) {
                    (Some(point), true) => grouped().map_or(Reading::NotANumber, |comma| {
                        Reading::Ambiguous { point, comma }
                    }),
                    (Some(point), false) => Reading::Point(point),
                    (None, _) => Reading::NotANumber,
                },
                _ => match (parse(&format!("{whole}.{frac}")), ambiguous) {
                    (Some(comma), true) => grouped().map_or(Reading::NotANumber, |point| {
                        Reading::Ambiguous { point, comma }
                    }),
                    (Some(comma), false) => Reading::Comma(comma),
                    (None, _) => Reading::NotANumber,
                },
            }
        }
        // Several of one separator and none of the other: digit groups, never decimals.
        (_, 0) => grouped(body, '.').map_or(Reading::NotANumber, Reading::Comma),
        (0, _) => grouped(body, ',').map_or(Reading::NotANumber, Reading::Point),
        // Both: the last one is the decimal mark, the other groups the digits before it.
        _ => {
            let last_dot = body.rfind('.').unwrap_or(0);
            let last_comma = body.rfind(',').unwrap_or(0);
            let (mark, group) = if last_dot > last_comma {
                ('.', ',')
            } else {
                (',', '.')
            };
            let (whole, frac) = body.rsplit_once(mark).unwrap_or((body, ""));
            match (
                grouped(whole, group),
                all_digits(frac) && !whole.contains(mark),
            ) {
                (Some(w), true) => match parse(&format!("{w}.{frac}")) {
                    Some(v) if mark == '.' => Reading::Point(v),
                    Some(v) => Reading::Comma(v),
                    None => Reading::NotANumber,
                },
                _ => Reading::NotANumber,
            }
        }
    };
    signed(reading)
}

/// The number part of a percentage (`80%`, `12,5 %`), or `None` when `text` is not one.
pub fn percentage(text: &str) -> Option<&str> {
    text.trim().strip_suffix('%').map(str::trim_end)
}

/// A share written as text in the TOML file (`"80%"`): the fraction it stands for.
pub fn share_text(text: &str) -> Option<f64> {
    let number = percentage(text)?;
    read_number(number)
        .value(DecimalMark::Point)
        .map(|v| v / 100.0)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// 1 to 3 digits not starting with 0: how a number with digit groups begins.
fn group_lead(s: &str) -> bool {
    (1..=3).contains(&s.len()) && all_digits(s) && !s.starts_with('0')
}

/// `1,250,000` with `,` as `sep`: the whole number, or `None` unless every group after the
/// first has exactly three digits.
fn grouped(s: &str, sep: char) -> Option<f64> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if !group_lead(first) {
        return None;
    }
    let mut digits = first.to_string();
    for part in parts {
        if part.len() != 3 || !all_digits(part) {
            return None;
        }
        digits.push_str(part);
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_written_form_reads_as_its_convention_allows() {
        assert_eq!(read_number("1500"), Reading::Plain(1500.0));
        assert_eq!(read_number("2_000"), Reading::Plain(2000.0));
        assert_eq!(read_number("2 000"), Reading::Plain(2000.0));
        assert_eq!(read_number("2.5"), Reading::Point(2.5));
        assert_eq!(read_number("0.500"), Reading::Point(0.5));
        assert_eq!(read_number("1234.567"), Reading::Point(1234.567));
        assert_eq!(read_number("1,250,000.50"), Reading::Point(1_250_000.5));
        assert_eq!(read_number("1,250,000"), Reading::Point(1_250_000.0));
        assert_eq!(read_number("2,5"), Reading::Comma(2.5));
        assert_eq!(read_number("0,500"), Reading::Comma(0.5));
        assert_eq!(read_number("1.500,5"), Reading::Comma(1500.5));
        assert_eq!(read_number("1.250.000"), Reading::Comma(1_250_000.0));
        assert_eq!(
            read_number("1.500"),
            Reading::Ambiguous {
                point: 1.5,
                comma: 1500.0
            }
        );
        assert_eq!(
            read_number("6,000"),
            Reading::Ambiguous {
                point: 6000.0,
                comma: 6.0
            }
        );
        assert_eq!(read_number("-2,5"), Reading::Comma(-2.5));
        assert_eq!(read_number("1e3"), Reading::Plain(1000.0));
    }

    #[test]
    fn malformed_groups_are_not_numbers() {
        for text in [
            "1.50.0",
            "1,5,0",
            "12,34.5",
            "1.2,3.4",
            "abc",
            "",
            "1..5",
            "1.500,5,0",
        ] {
            assert_eq!(read_number(text), Reading::NotANumber, "{text}");
        }
    }

    #[test]
    fn a_reading_takes_the_files_mark() {
        let r = read_number("1.500");
        assert_eq!(r.value(DecimalMark::Point), Some(1.5));
        assert_eq!(r.value(DecimalMark::Comma), Some(1500.0));
        assert_eq!(read_number("2,5").value(DecimalMark::Point), None);
        assert_eq!(read_number("2.5").value(DecimalMark::Comma), None);
    }

    #[test]
    fn shares_as_text_are_percentages() {
        assert_eq!(share_text("90%"), Some(0.9));
        assert_eq!(share_text(" 12.5 % "), Some(0.125));
        assert_eq!(share_text("0.9"), None);
        assert_eq!(share_text("ninety%"), None);
    }
}
