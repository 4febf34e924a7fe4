//! Cumulative discounted net value month by month: the median with its P25-P75 and P10-P90
//! bands, so a reader sees when the plan pays back and how wide the outcomes fan out.

use super::layout::{self, Mark, Plot, Scale, Ticks};
use super::scene::{Align, Baseline, Font, Scene};
use super::style::{self, Colour};
use super::{Chart, ChartError};
use crate::simulate::MonthBand;

pub struct FanSeries<'a> {
    pub label: &'a str,
    pub bands: &'a [MonthBand],
}

const SERIES: [Colour; 4] = [style::BASE, style::OTHER, style::GOOD, style::DEAL];

/// Month steps that read as calendar units.
const MONTH_STEPS: [usize; 7] = [1, 2, 3, 6, 12, 24, 60];

/// A series' path: month, and the P10, P25, P50, P75 and P90 of cumulative value then.
type Path = Vec<(f64, [f64; 5])>;

/// Room at the right for the end-of-horizon values.
const END_LABELS_WIDTH: f64 = 190.0;

pub fn render(
    series: &[FanSeries],
    currency: &str,
    start_label: &str,
) -> Result<Chart, ChartError> {
    let title = match series {
        [a, b] => format!("Cumulative net value over time: {} vs {}", a.label, b.label),
        _ => "Cumulative net value over time".to_string(),
    };
    let months = series.iter().map(|s| s.bands.len()).max().unwrap_or(0);
    if months == 0 || !series.iter().flat_map(|s| s.bands).any(finite) {
        let scene = layout::message(&title, "", "No simulated months to show");
        return Chart::from_scene("value-fan", title, &scene);
    }
    let paths = paths(series);
    let subtitle = subtitle(series, start_label);
    let heading = layout::Heading::new(&title, &subtitle, &legend_items(series));
    let plot_top = heading.bottom + 30.0;
    let mut scene = heading.scene(style::HEIGHT as f64);
    let (plot, xs, ys) = axes(&mut scene, &paths, months, plot_top, currency, start_label);

    for (i, path) in paths.iter().enumerate() {
        let c = SERIES[i % SERIES.len()];
        let (wide, narrow) = band_alpha(i);
        for (low, high, alpha) in [(0, 4, wide), (1, 3, narrow)] {
            let mut outline: Vec<(f64, f64)> = path
                .iter()
                .map(|(mo, q)| (xs.px(*mo), ys.px(q[high])))
                .collect();
            outline.extend(path.iter().rev().map(|(mo, q)| (xs.px(*mo), ys.px(q[low]))));
            scene.polygon(outline, c.alpha(alpha));
        }
    }
    for (i, path) in paths.iter().enumerate() {
        let c = SERIES[i % SERIES.len()];
        let line: Vec<(f64, f64)> = path
            .iter()
            .map(|(mo, q)| (xs.px(*mo), ys.px(q[2])))
            .collect();
        scene.line(line, c, 3.0);
    }
    end_labels(&mut scene, series, &paths, &plot, &ys, currency);
    Chart::from_scene("value-fan", title, &scene)
}

fn finite(b: &MonthBand) -> bool {
    [b.p10, b.p25, b.p50, b.p75, b.p90]
        .iter()
        .all(|v| v.is_finite())
}

/// Each series' months with every quantile known. Month 0 is the plan's start, where nothing
/// has been earned or spent yet.
fn paths(series: &[FanSeries]) -> Vec<Path> {
    series
        .iter()
        .map(|s| {
            std::iter::once((0.0, [0.0; 5]))
                .chain(
                    s.bands
                        .iter()
                        .filter(|b| finite(b))
                        .map(|b| (b.month as f64, [b.p10, b.p25, b.p50, b.p75, b.p90])),
                )
                .collect()
        })
        .collect()
}

/// What is plotted, and when each median pays back: the month after it is last below zero.
fn subtitle(series: &[FanSeries], start_label: &str) -> String {
    let payback = |s: &FanSeries| {
        let last_negative = s.bands.iter().rposition(|b| b.p50 < 0.0)?;
        s.bands.get(last_negative + 1).map(|b| b.month)
    };
    let mut subtitle = format!(
        "Discounted value less costs and penalties, month by month from {start_label}; bands hold 50% and 80% of simulated futures"
    );
    let paybacks: Vec<String> = series
        .iter()
        .filter_map(|s| {
            let month = payback(s)?;
            Some(if series.len() == 1 {
                format!("median pays back in month {month}")
            } else {
                format!("{} median pays back in month {month}", s.label)
            })
        })
        .collect();
    if !paybacks.is_empty() {
        subtitle.push_str(&format!(" · {}", paybacks.join(", ")));
    }
    subtitle
}

fn legend_items(series: &[FanSeries]) -> Vec<(Mark, String)> {
    let mut items = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let c = SERIES[i % SERIES.len()];
        let (wide, narrow) = band_alpha(i);
        let name = |what: &str| {
            if series.len() == 1 {
                let mut chars = what.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                format!("{} {what}", s.label)
            }
        };
        items.push((Mark::Line(c, 3.0, false), name("median (P50)")));
        items.push((Mark::Swatch(c.alpha(narrow)), name("P25-P75")));
        items.push((Mark::Swatch(c.alpha(wide)), name("P10-P90")));
    }
    items
}

/// Value up, months across, and a line at zero when value goes below it; returns the plot and
/// its scales.
fn axes(
    scene: &mut Scene,
    paths: &[Path],
    months: usize,
    plot_top: f64,
    currency: &str,
    start_label: &str,
) -> (Plot, Scale, Scale) {
    let (lo, hi) = paths
        .iter()
        .flatten()
        .flat_map(|(_, q)| q.iter())
        .fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let y_ticks = Ticks::new(lo, hi, 6);
    let y_format = y_ticks.format();
    let y_label = |v: f64| y_format.format(v);
    let right = layout::right_edge() - END_LABELS_WIDTH;
    let plot = layout::plot_right_of_ticks(scene, &y_ticks, &y_label, plot_top, right);
    let step = MONTH_STEPS
        .iter()
        .copied()
        .find(|&s| months / s <= 12)
        .unwrap_or(120);
    let x_ticks = Ticks::within(0.0, months as f64, step as f64);
    let xs = Scale::new(0.0, months as f64, plot.left, plot.right);
    let ys = Scale::new(y_ticks.lo, y_ticks.hi, plot.bottom, plot.top);
    layout::y_axis(
        scene,
        &plot,
        &ys,
        &y_ticks,
        &format!("Cumulative net value ({currency})"),
    );
    layout::x_axis_with(
        scene,
        &plot,
        &xs,
        &x_ticks,
        &format!("Months from the plan's start ({start_label})"),
        &|v| format!("{v:.0}"),
        true,
    );
    if y_ticks.lo < 0.0 {
        let y = ys.px(0.0);
        scene.segment((plot.left, y), (plot.right, y), style::REFERENCE, 1.5);
    }
    (plot, xs, ys)
}

/// End-of-horizon values at the right edge, nudged apart so they never overlap.
fn end_labels(
    scene: &mut Scene,
    series: &[FanSeries],
    paths: &[Path],
    plot: &Plot,
    ys: &Scale,
    currency: &str,
) {
    let m = |x: f64| style::money(x, currency);
    let mut labels: Vec<(f64, String, Font)> = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let c = SERIES[i % SERIES.len()];
        let Some((_, q)) = path.last() else { continue };
        let prefix = if series.len() == 1 {
            String::new()
        } else {
            format!("{} ", series[i].label)
        };
        labels.push((
            ys.px(q[2]),
            format!("{prefix}P50 {}", m(q[2])),
            Font::new(style::NOTE, c).bold(),
        ));
        if series.len() == 1 {
            labels.push((
                ys.px(q[4]),
                format!("P90 {}", m(q[4])),
                Font::new(style::NOTE, style::MUTED),
            ));
            labels.push((
                ys.px(q[0]),
                format!("P10 {}", m(q[0])),
                Font::new(style::NOTE, style::MUTED),
            ));
        }
    }
    let positions = spread(
        &labels.iter().map(|(y, _, _)| *y).collect::<Vec<_>>(),
        20.0,
        plot.top,
        plot.bottom,
    );
    for ((_, text, font), y) in labels.into_iter().zip(positions) {
        let text = font.fit(&text, END_LABELS_WIDTH - 12.0);
        scene.text(
            text,
            plot.right + 10.0,
            y,
            font,
            Align::Start,
            Baseline::Middle,
        );
    }
}

/// The outer and inner bands' opacity; a second series is lighter so the first stays legible.
fn band_alpha(series: usize) -> (f64, f64) {
    if series == 0 {
        (0.16, 0.34)
    } else {
        (0.12, 0.26)
    }
}

/// Positions near `wanted` (any order), at least `gap` apart and within `lo`..`hi`, moving
/// each as little as it can.
pub fn spread(wanted: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    let mut placed: Vec<f64> = order.iter().map(|&i| wanted[i].clamp(lo, hi)).collect();
    for k in 1..placed.len() {
        if placed[k] < placed[k - 1] + gap {
            placed[k] = placed[k - 1] + gap;
        }
    }
    // Pushed past the bottom: shift the run back up.
    if let Some(&last) = placed.last() {
        if last > hi {
            let over = last - hi;
            for y in placed.iter_mut() {
                *y -= over;
            }
            for k in (0..placed.len().saturating_sub(1)).rev() {
                if placed[k] > placed[k + 1] - gap {
                    placed[k] = placed[k + 1] - gap;
                }
            }
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = placed[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spread_labels_keep_their_order_and_distance() {
        let out = spread(&[100.0, 105.0, 300.0], 20.0, 0.0, 400.0);
        assert_eq!(out, vec![100.0, 120.0, 300.0]);
        let out = spread(&[395.0, 398.0], 20.0, 0.0, 400.0);
        assert_eq!(out, vec![380.0, 400.0]);
    }
}
