//! The NPV distribution: a histogram of the simulated futures, with the percentiles and the
//! mean marked and the chance of a loss stated; two series (a what-if) overlay on the same
//! bins.

use super::layout::{self, Mark, Placer, Plot, Scale, Ticks};
use super::scene::{Align, Area, Baseline, Font, Scene};
use super::style::{self, Colour};
use super::{Chart, ChartError};
use crate::simulate::NpvSummary;

pub struct NpvSeries<'a> {
    pub label: &'a str,
    /// NPV of each trial.
    pub npv: &'a [f64],
    pub summary: &'a NpvSummary,
}

/// Colours of the series in order: the base, then the other side.
const SERIES: [Colour; 4] = [style::BASE, style::OTHER, style::GOOD, style::DEAL];

pub fn render(series: &[NpvSeries], currency: &str) -> Result<Chart, ChartError> {
    let title = match series {
        [] | [_] => "NPV distribution".to_string(),
        [a, b] => format!("NPV distribution: {} vs {}", a.label, b.label),
        _ => "NPV distribution by case".to_string(),
    };
    let values: Vec<Vec<f64>> = series
        .iter()
        .map(|s| s.npv.iter().copied().filter(|v| v.is_finite()).collect())
        .collect();
    let Some(bins) = Bins::new(&values) else {
        let scene = layout::message(&title, "", "No simulated trials to show");
        return Chart::from_scene("npv", title, &scene);
    };
    let subtitle = subtitle(series, &values, bins.flat, currency);
    let has_loss = bins.lo < 0.0;
    let heading =
        layout::Heading::new(&title, &subtitle, &legend_items(series, has_loss, currency));
    let plot_top = heading.bottom + 30.0;
    let mut scene = heading.scene(style::HEIGHT as f64);
    let (plot, xs, ys) = axes(&mut scene, &bins, plot_top, currency);

    let mut placer = Placer::new();
    draw_bars(
        &mut scene,
        &mut placer,
        &bins,
        series.len(),
        (&plot, &xs, &ys),
    );
    // Overlaid series each get their outline, so either shape reads through the other.
    if series.len() > 1 {
        for (i, shares) in bins.shares.iter().enumerate() {
            let mut outline = vec![(xs.px(bins.first), plot.bottom)];
            for (k, &share) in shares.iter().enumerate() {
                let y = ys.px(share);
                outline.push((xs.px(bins.edge(k)), y));
                outline.push((xs.px(bins.edge(k + 1)), y));
            }
            outline.push((xs.px(bins.edge(bins.count)), plot.bottom));
            scene.line(outline, SERIES[i % SERIES.len()], 2.0);
        }
    }
    let markers = markers(series, has_loss && xs.contains(0.0), currency);
    draw_markers(&mut scene, &mut placer, &markers, &plot, &xs);
    Chart::from_scene("npv", title, &scene)
}

/// The histogram: bins of a round width with an edge at zero, so that losses and gains never
/// share a bar, and each series' share of futures in each.
struct Bins {
    /// The lowest and highest NPV of any series.
    lo: f64,
    /// Every future alike (nothing uncertain, or nothing planned): one bar on the value, on an
    /// axis wide enough to read as money rather than as cents.
    flat: bool,
    first: f64,
    width: f64,
    count: usize,
    axis_lo: f64,
    axis_hi: f64,
    /// Per series, the percentage of its futures in each bin.
    shares: Vec<Vec<f64>>,
}

impl Bins {
    /// `None` when no series has a finite NPV.
    fn new(values: &[Vec<f64>]) -> Option<Self> {
        let (lo, hi) = values
            .iter()
            .flatten()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        if !lo.is_finite() {
            return None;
        }
        let flat = hi - lo <= 1e-9 * hi.abs().max(lo.abs()).max(1.0);
        let (first, width, count, axis_lo, axis_hi) = if flat {
            let pad = (lo.abs() * 0.1).max(1000.0);
            let width = layout::nice_step(2.0 * pad, 10);
            (lo - width / 2.0, width, 1, lo - pad, hi + pad)
        } else {
            let span = Ticks::new(lo, hi, if values.len() > 1 { 40 } else { 50 });
            let count = (((span.hi - span.lo) / span.step).round() as usize).max(1);
            (span.lo, span.step, count, span.lo, span.hi)
        };
        let shares = values
            .iter()
            .map(|vs| {
                let mut counts = vec![0usize; count];
                for &v in vs {
                    let k = (((v - first) / width).floor().max(0.0) as usize).min(count - 1);
                    counts[k] += 1;
                }
                let n = vs.len().max(1) as f64;
                counts.iter().map(|&c| 100.0 * c as f64 / n).collect()
            })
            .collect();
        Some(Bins {
            lo,
            flat,
            first,
            width,
            count,
            axis_lo,
            axis_hi,
            shares,
        })
    }

    /// The left edge of bin `k` (the right edge of bin `k - 1`).
    fn edge(&self, k: usize) -> f64 {
        self.first + k as f64 * self.width
    }
}

/// One series' futures, mean, percentiles and chance of a loss; or, for several, each one's
/// mean and chance of a loss.
fn subtitle(series: &[NpvSeries], values: &[Vec<f64>], flat: bool, currency: &str) -> String {
    let m = |x: f64| style::money(x, currency);
    let mut subtitle = if series.len() == 1 {
        let s = series[0].summary;
        format!(
            "{} simulated futures · mean {} · P10 {} · P50 {} · P90 {} · P(NPV < 0) {}",
            crate::report::format::thousands(values[0].len() as f64),
            m(s.mean),
            m(s.p10),
            m(s.p50),
            m(s.p90),
            style::percent(s.p_negative)
        )
    } else {
        series
            .iter()
            .map(|s| {
                format!(
                    "{}: mean {}, P(NPV < 0) {}",
                    s.label,
                    m(s.summary.mean),
                    style::percent(s.summary.p_negative)
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    if flat {
        subtitle.push_str(" · every simulated future has the same NPV");
    }
    subtitle
}

fn legend_items(series: &[NpvSeries], has_loss: bool, currency: &str) -> Vec<(Mark, String)> {
    let mut items = Vec::new();
    if series.len() == 1 {
        items.push((
            Mark::Swatch(SERIES[0].alpha(0.85)),
            "Share of futures".to_string(),
        ));
        if has_loss {
            items.push((
                Mark::Swatch(style::RISK.alpha(0.85)),
                "Futures with a loss".to_string(),
            ));
        }
        items.push((Mark::Line(style::INK, 2.5, false), "Mean".to_string()));
        items.push((
            Mark::Line(style::REFERENCE, 2.0, true),
            "P10, P50, P90".to_string(),
        ));
    } else {
        for (i, s) in series.iter().enumerate() {
            let c = SERIES[i % SERIES.len()];
            items.push((Mark::Swatch(c.alpha(0.5)), s.label.to_string()));
            // The legend carries every mean, so that none is lost where two labels in the
            // plot would collide.
            items.push((
                Mark::Line(c, 3.0, false),
                format!(
                    "{} mean {}",
                    s.label,
                    style::money(s.summary.mean, currency)
                ),
            ));
        }
    }
    items
}

/// Share of futures up, NPV across; returns the plot and its scales.
fn axes(scene: &mut Scene, bins: &Bins, plot_top: f64, currency: &str) -> (Plot, Scale, Scale) {
    let peak = bins.shares.iter().flatten().fold(0.0f64, |m, &s| m.max(s));
    // Where the plot will end: the y axis's height depends on it.
    let plot_bottom = scene.height as f64 - style::MARGIN - 64.0;
    // Room above the tallest bar for the marker labels.
    let headroom = 72.0;
    let y_need = peak * (plot_bottom - plot_top) / (plot_bottom - plot_top - headroom).max(1.0);
    let mut y_ticks = Ticks::new(0.0, y_need.max(1e-9), 5);
    // The headroom may run past 100%, which no share reaches: leave those ticks unlabelled.
    y_ticks.values.retain(|&v| v <= 100.0 + 1e-9);
    let y_format = y_ticks.format();
    let y_label = |v: f64| format!("{}%", y_format.format(v));
    let plot =
        layout::plot_right_of_ticks(scene, &y_ticks, &y_label, plot_top, layout::right_edge());
    // The axis spans the bins exactly; its ticks are the round values inside.
    let x_step = layout::nice_step(
        bins.axis_hi - bins.axis_lo,
        layout::tick_budget(plot.right - plot.left, 50.0),
    );
    let x_ticks = Ticks::within(bins.axis_lo, bins.axis_hi, x_step);
    let xs = Scale::new(x_ticks.lo, x_ticks.hi, plot.left, plot.right);
    let ys = Scale::new(0.0, y_ticks.hi, plot.bottom, plot.top);
    layout::y_axis_with(
        scene,
        &plot,
        &ys,
        &y_ticks,
        "Share of simulated futures (%)",
        &y_label,
    );
    layout::x_axis(scene, &plot, &xs, &x_ticks, &format!("NPV ({currency})"));
    (plot, xs, ys)
}

/// Every non-empty bin of every series; one series' losses in the risk colour. The bars are
/// taken, so that marker labels keep off them.
fn draw_bars(
    scene: &mut Scene,
    placer: &mut Placer,
    bins: &Bins,
    series: usize,
    (plot, xs, ys): (&Plot, &Scale, &Scale),
) {
    let alpha = if series == 1 { 0.85 } else { 0.4 };
    for (i, shares) in bins.shares.iter().enumerate() {
        for (k, &share) in shares.iter().enumerate() {
            if share <= 0.0 {
                continue;
            }
            let (a, b) = (bins.edge(k), bins.edge(k + 1));
            let loss = if bins.flat { bins.lo < 0.0 } else { b <= 0.0 };
            let colour = if series == 1 && loss {
                style::RISK
            } else {
                SERIES[i % SERIES.len()]
            };
            let (x0, x1) = (xs.px(a) + 0.5, (xs.px(b) - 0.5).max(xs.px(a) + 1.0));
            let y = ys.px(share).min(plot.bottom - 1.0);
            scene.rect(x0, y, x1, plot.bottom, colour.alpha(alpha));
            placer.take(Area {
                x0,
                y0: y,
                x1,
                y1: plot.bottom,
            });
        }
    }
}

/// An upright line at a value of note, and its label.
struct Marker {
    value: f64,
    label: String,
    colour: Colour,
    width: f64,
    dashed: bool,
    /// A mean: bold, and moved further out when its place is taken.
    strong: bool,
}

/// Zero when there are losses, then one series' percentiles and mean, or every series' mean.
fn markers(series: &[NpvSeries], zero: bool, currency: &str) -> Vec<Marker> {
    let m = |x: f64| style::money(x, currency);
    let mut markers: Vec<Marker> = Vec::new();
    let marker = |value, label, colour, width, dashed, strong| Marker {
        value,
        label,
        colour,
        width,
        dashed,
        strong,
    };
    if zero {
        markers.push(marker(
            0.0,
            "NPV = 0".into(),
            style::RISK,
            2.0,
            false,
            false,
        ));
    }
    if series.len() == 1 {
        let s = series[0].summary;
        for (v, name) in [(s.p10, "P10"), (s.p50, "P50"), (s.p90, "P90")] {
            let label = format!("{name} {}", m(v));
            markers.push(marker(v, label, style::REFERENCE, 2.0, true, false));
        }
        let label = format!("mean {}", m(s.mean));
        markers.push(marker(s.mean, label, style::INK, 2.5, false, true));
    } else {
        for (i, s) in series.iter().enumerate() {
            let c = SERIES[i % SERIES.len()];
            let label = format!("{} mean {}", s.label, m(s.summary.mean));
            markers.push(marker(s.summary.mean, label, c, 3.0, false, true));
        }
    }
    markers
}

/// Marker lines, then their labels where they fit, nearest the top first.
fn draw_markers(
    scene: &mut Scene,
    placer: &mut Placer,
    markers: &[Marker],
    plot: &Plot,
    xs: &Scale,
) {
    let shown = || {
        markers
            .iter()
            .filter(|mk| mk.value.is_finite() && xs.contains(mk.value))
    };
    for mk in shown() {
        let x = xs.px(mk.value);
        placer.take(Area {
            x0: x - 2.0,
            y0: plot.top,
            x1: x + 2.0,
            y1: plot.bottom,
        });
        let (top, bottom) = ((x, plot.bottom), (x, plot.top));
        if mk.dashed {
            scene.dashed(top, bottom, mk.colour, mk.width, 7.0, 5.0);
        } else {
            scene.segment(top, bottom, mk.colour, mk.width);
        }
    }
    let bounds = plot.area();
    for mk in shown() {
        let x = xs.px(mk.value);
        let colour = if mk.colour == style::REFERENCE {
            style::MUTED
        } else {
            mk.colour
        };
        let mut font = Font::new(style::NOTE, colour);
        if mk.strong {
            font = font.bold();
        }
        // Beside its line first. A mean whose place is taken (two means a few pixels apart)
        // moves further out, in its line's colour; a percentile's label far from its line
        // would be read as another's, so it is left out instead.
        let offsets: &[f64] = if mk.strong {
            &[6.0, 40.0, 90.0, 160.0]
        } else {
            &[6.0]
        };
        let candidates: Vec<(f64, f64, Align, Baseline)> = offsets
            .iter()
            .flat_map(|&dx| {
                (0..10).flat_map(move |row| {
                    let y = plot.top + 6.0 + row as f64 * 20.0;
                    [
                        (x + dx, y, Align::Start, Baseline::Top),
                        (x - dx, y, Align::End, Baseline::Top),
                    ]
                })
            })
            .collect();
        if let Some((lx, ly, align, baseline)) = placer.place(&mk.label, font, &candidates, &bounds)
        {
            scene.text(mk.label.clone(), lx, ly, font, align, baseline);
        }
    }
}
