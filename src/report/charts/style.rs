//! The one look every chart shares: an Okabe-Ito palette (safe for the common forms of colour
//! blindness) with fixed meanings, text sizes, and numbers written the way a finance deck
//! writes them.

/// A colour with its opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub alpha: f64,
}

impl Colour {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Colour {
            r,
            g,
            b,
            alpha: 1.0,
        }
    }

    /// The same colour, see-through.
    pub fn alpha(self, alpha: f64) -> Self {
        Colour { alpha, ..self }
    }

    /// "#0072B2", as the SVG writes it.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

/// The plan, or the base case of a comparison: always this blue.
pub const BASE: Colour = Colour::rgb(0x00, 0x72, 0xB2);
/// The other side of a comparison (a what-if): always this orange.
pub const OTHER: Colour = Colour::rgb(0xE6, 0x9F, 0x00);
/// Loss, lateness, low odds.
pub const RISK: Colour = Colour::rgb(0xD5, 0x5E, 0x00);
/// Likely, on track.
pub const GOOD: Colour = Colour::rgb(0x00, 0x9E, 0x73);
/// Between the two.
pub const CAUTION: Colour = Colour::rgb(0xF0, 0xE4, 0x42);
/// A lighter partner of the base blue, where one series has two sides (a tornado's P10 side).
pub const LIGHT: Colour = Colour::rgb(0x56, 0xB4, 0xE9);
/// Customer deals.
pub const DEAL: Colour = Colour::rgb(0xCC, 0x79, 0xA7);
/// Text and the marks that carry a number (whiskers, ranges).
pub const INK: Colour = Colour::rgb(0x22, 0x22, 0x22);
/// Secondary text: subtitles, tick labels, notes.
pub const MUTED: Colour = Colour::rgb(0x59, 0x59, 0x59);
/// Reference lines (percentiles, targets, capacity) and what is set aside (dominated plans).
pub const REFERENCE: Colour = Colour::rgb(0x8C, 0x8C, 0x8C);
/// Grid lines and axis frames.
pub const GRID: Colour = Colour::rgb(0xE3, 0xE3, 0xE3);
/// Row bands that group rows (a team's features).
pub const BAND: Colour = Colour::rgb(0xF3, 0xF4, 0xF6);
pub const WHITE: Colour = Colour::rgb(0xFF, 0xFF, 0xFF);

/// Chart width in pixels: wide enough for a slide, and for a report page at full width.
pub const WIDTH: u32 = 1200;
/// Height of a chart whose height does not depend on its rows.
pub const HEIGHT: u32 = 700;
/// The least height of a chart that grows with its rows, so a one-row chart is not a strip.
pub const MIN_HEIGHT: f64 = 360.0;
/// Outer margin on every side.
pub const MARGIN: f64 = 32.0;

/// Text sizes in pixels (the height of the font's ascent plus descent).
pub const TITLE: f64 = 28.0;
pub const SUBTITLE: f64 = 17.0;
pub const LABEL: f64 = 17.0;
pub const TICK: f64 = 15.0;
pub const NOTE: f64 = 15.0;

/// Probability bands for on-time charts: at least 80% is on track, under 50% is at risk.
pub const ON_TRACK: f64 = 0.8;
pub const AT_RISK: f64 = 0.5;

/// The colour of a probability's band.
pub fn odds_colour(p: f64) -> Colour {
    if p >= ON_TRACK {
        GOOD
    } else if p >= AT_RISK {
        CAUTION
    } else {
        RISK
    }
}

/// Money as a chart label: "$4.4M", "-$120k", "€950", "3.2M SEK".
pub fn money(x: f64, currency: &str) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let body = crate::report::format::money(x.abs(), currency);
    if x < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-{body}")
    } else {
        body
    }
}

/// The unit and decimals that write every tick of an axis alike: 0, 0.5M, 1.0M, 1.5M.
#[derive(Debug, Clone, PartialEq)]
pub struct TickFormat {
    unit: f64,
    suffix: String,
    decimals: usize,
}

impl TickFormat {
    /// For ticks `step` apart, none larger in magnitude than `largest`.
    pub fn new(largest: f64, step: f64) -> Self {
        let largest = largest.abs();
        let (unit, suffix) = if largest >= 1e15 {
            // Past a thousand trillion the unit is a power of ten: 2e15, 4e15, not 2000000B.
            let exponent = largest.log10().floor();
            (10f64.powf(exponent), format!("e{exponent:.0}"))
        } else if largest >= 1e12 {
            (1e12, "T".to_string())
        } else if largest >= 1e9 {
            (1e9, "B".to_string())
        } else if largest >= 1e6 {
            (1e6, "M".to_string())
        } else if largest >= 1e4 {
            (1e3, "k".to_string())
        } else {
            (1.0, String::new())
        };
        let scaled = (step / unit).abs();
        let decimals = (0..=3)
            .find(|&d| {
                let x = scaled * 10f64.powi(d as i32);
                (x - x.round()).abs() < 1e-6 * x.max(1.0)
            })
            .unwrap_or(3);
        TickFormat {
            unit,
            suffix,
            decimals,
        }
    }

    pub fn format(&self, x: f64) -> String {
        let v = x / self.unit;
        // `+ 0.0` writes -0 as 0.
        let text = format!("{:.*}", self.decimals, v + 0.0);
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            return "0".to_string();
        }
        if self.unit == 1.0 && v.abs() >= 1000.0 {
            let whole = crate::report::format::thousands(v.trunc());
            return match text.split_once('.') {
                Some((_, fraction)) => format!("{whole}.{fraction}"),
                None => whole,
            };
        }
        format!("{text}{}", self.suffix)
    }
}

/// A number of unknown unit for a label (an input's value): 3 significant digits, k/M above
/// ten thousand.
pub fn quantity(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let a = x.abs();
    if a >= 1e4 {
        return crate::report::format::compact(x);
    }
    if a >= 1e3 {
        return crate::report::format::thousands(x);
    }
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // Two significant digits below one: 0.85, 0.035.
        (1 - a.log10().floor() as i32).clamp(2, 6) as usize
    };
    let text = format!("{:.*}", decimals, x + 0.0);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A share as a whole percent for a label ("87%"), a decimal near 0 and 100.
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        return "n/a".to_string();
    }
    crate::report::format::probability(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_share_one_unit_and_one_precision() {
        let f = TickFormat::new(1.5e6, 5e5);
        let labels: Vec<String> = [0.0, 5e5, 1e6, 1.5e6]
            .iter()
            .map(|&x| f.format(x))
            .collect();
        assert_eq!(labels, ["0", "0.5M", "1.0M", "1.5M"]);
        let f = TickFormat::new(4e6, 2e6);
        assert_eq!(f.format(-2e6), "-2M");
        assert_eq!(f.format(4.000_000_1e6), "4M");
        let f = TickFormat::new(80_000.0, 20_000.0);
        assert_eq!(f.format(60_000.0), "60k");
        let f = TickFormat::new(5000.0, 1000.0);
        assert_eq!(f.format(5000.0), "5,000");
        let f = TickFormat::new(4e12, 2e12);
        assert_eq!(f.format(2e12), "2T");
        let f = TickFormat::new(4e15, 2e15);
        assert_eq!(f.format(2e15), "2e15");
        let f = TickFormat::new(1.0, 0.25);
        assert_eq!(f.format(0.75), "0.75");
        assert_eq!(f.format(-1e-17), "0");
    }

    #[test]
    fn labels_read_like_a_finance_deck() {
        assert_eq!(money(-120_000.0, "USD"), "-$120k");
        assert_eq!(money(4_430_000.0, "USD"), "$4.43M");
        assert_eq!(money(-0.2, "USD"), "$0");
        assert_eq!(quantity(0.85), "0.85");
        assert_eq!(quantity(0.0351), "0.035");
        assert_eq!(quantity(12.345), "12.3");
        assert_eq!(quantity(250_000.0), "250k");
        assert_eq!(quantity(1200.0), "1,200");
        assert_eq!(percent(0.874), "87%");
        assert_eq!(odds_colour(0.8), GOOD);
        assert_eq!(odds_colour(0.79), CAUTION);
        assert_eq!(odds_colour(0.2), RISK);
    }
}
