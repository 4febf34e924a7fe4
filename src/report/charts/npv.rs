//! The NPV distribution: a histogram of the simulated futures, with the percentiles and the
//! mean marked and the chance of a loss stated; two series (a what-if) overlay on the same
//! bins.

use super::layout::{self, Mark, Placer, Plot, Scale, Ticks};
use super::scene::{Align, Baseline, Font, Scene};
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
    let (lo, hi) = values
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        let scene = layout::message(&title, "", "No simulated trials to show");
        return Chart::from_scene("npv", title, &scene);
    }
    let m = |x: f64| style::money(x, currency);

    // Bins of a round width with an edge at zero, so that losses and gains never share a bar.
    // Every future alike (nothing uncertain, or nothing planned): one bar on the value, on an
    // axis wide enough to read as money rather than as cents.
    let flat = hi - lo <= 1e-9 * hi.abs().max(lo.abs()).max(1.0);
    let (first, width, bins, axis_lo, axis_hi) = if flat {
        let pad = (lo.abs() * 0.1).max(1000.0);
        let width = layout::nice_step(2.0 * pad, 10);
        (lo - width / 2.0, width, 1, lo - pad, hi + pad)
    } else {
        let span = Ticks::new(lo, hi, if series.len() > 1 { 40 } else { 50 });
        let bins = (((span.hi - span.lo) / span.step).round() as usize).max(1);
        (span.lo, span.step, bins, span.lo, span.hi)
    };
    let shares: Vec<Vec<f64>> = values
        .iter()
        .map(|vs| {
            let mut counts = vec![0usize; bins];
            for &v in vs {
                let k = (((v - first) / width).floor().max(0.0) as usize).min(bins - 1);
                counts[k] += 1;
            }
            let n = vs.len().max(1) as f64;
            counts.iter().map(|&c| 100.0 * c as f64 / n).collect()
        })
        .collect();
    let peak = shares.iter().flatten().fold(0.0f64, |m, &s| m.max(s));

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

    let mut scene = Scene::new(style::WIDTH, style::HEIGHT);
    let top = layout::header(&mut scene, &title, &subtitle);
    let right = scene.width as f64 - style::MARGIN;
    let has_loss = lo < 0.0;
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
                format!("{} mean {}", s.label, m(s.summary.mean)),
            ));
        }
    }
    let legend_bottom = layout::legend(&mut scene, style::MARGIN, top, right, &items);

    let plot_top = legend_bottom + 30.0;
    let plot_bottom = scene.height as f64 - style::MARGIN - 64.0;
    // Room above the tallest bar for the marker labels.
    let headroom = 72.0;
    let y_need = peak * (plot_bottom - plot_top) / (plot_bottom - plot_top - headroom).max(1.0);
    let mut y_ticks = Ticks::new(0.0, y_need.max(1e-9), 5);
    // The headroom may run past 100%, which no share reaches: leave those ticks unlabelled.
    y_ticks.values.retain(|&v| v <= 100.0 + 1e-9);
    let y_format = y_ticks.format();
    let y_label = |v: f64| format!("{}%", y_format.format(v));
    let widest = layout::widest_tick_label(&y_ticks, &y_label);
    let plot = Plot {
        left: style::MARGIN + widest + 14.0,
        top: plot_top,
        right,
        bottom: plot_bottom,
    };
    // The axis spans the bins exactly; its ticks are the round values inside.
    let x_step = layout::nice_step(
        axis_hi - axis_lo,
        layout::tick_budget(plot.right - plot.left, 50.0),
    );
    let x_ticks = Ticks::within(axis_lo, axis_hi, x_step);
    let xs = Scale::new(x_ticks.lo, x_ticks.hi, plot.left, plot.right);
    let ys = Scale::new(0.0, y_ticks.hi, plot.bottom, plot.top);
    layout::y_axis_with(
        &mut scene,
        &plot,
        &ys,
        &y_ticks,
        "Share of simulated futures (%)",
        &y_label,
    );
    layout::x_axis(
        &mut scene,
        &plot,
        &xs,
        &x_ticks,
        &format!("NPV ({currency})"),
    );

    let mut placer = Placer::new();
    let alpha = if series.len() == 1 { 0.85 } else { 0.4 };
    for (i, shares) in shares.iter().enumerate() {
        for (k, &share) in shares.iter().enumerate() {
            if share <= 0.0 {
                continue;
            }
            let (a, b) = (first + k as f64 * width, first + (k + 1) as f64 * width);
            let loss = if flat { lo < 0.0 } else { b <= 0.0 };
            let colour = if series.len() == 1 && loss {
                style::RISK
            } else {
                SERIES[i % SERIES.len()]
            };
            let (x0, x1) = (xs.px(a) + 0.5, (xs.px(b) - 0.5).max(xs.px(a) + 1.0));
            let y = ys.px(share).min(plot.bottom - 1.0);
            scene.rect(x0, y, x1, plot.bottom, colour.alpha(alpha));
            placer.take(super::scene::Area {
                x0,
                y0: y,
                x1,
                y1: plot.bottom,
            });
        }
    }

    // Overlaid series each get their outline, so either shape reads through the other.
    if series.len() > 1 {
        for (i, shares) in shares.iter().enumerate() {
            let mut outline = vec![(xs.px(first), plot.bottom)];
            for (k, &share) in shares.iter().enumerate() {
                let y = ys.px(share);
                outline.push((xs.px(first + k as f64 * width), y));
                outline.push((xs.px(first + (k + 1) as f64 * width), y));
            }
            outline.push((xs.px(first + bins as f64 * width), plot.bottom));
            scene.line(outline, SERIES[i % SERIES.len()], 2.0);
        }
    }

    // Marker lines, then their labels where they fit, nearest the top first.
    let mut markers: Vec<(f64, String, Colour, f64, bool, bool)> = Vec::new();
    if xs.contains(0.0) && has_loss {
        markers.push((0.0, "NPV = 0".to_string(), style::RISK, 2.0, false, false));
    }
    if series.len() == 1 {
        let s = series[0].summary;
        for (v, name) in [(s.p10, "P10"), (s.p50, "P50"), (s.p90, "P90")] {
            markers.push((
                v,
                format!("{name} {}", m(v)),
                style::REFERENCE,
                2.0,
                true,
                false,
            ));
        }
        markers.push((
            s.mean,
            format!("mean {}", m(s.mean)),
            style::INK,
            2.5,
            false,
            true,
        ));
    } else {
        for (i, s) in series.iter().enumerate() {
            let c = SERIES[i % SERIES.len()];
            markers.push((
                s.summary.mean,
                format!("{} mean {}", s.label, m(s.summary.mean)),
                c,
                3.0,
                false,
                true,
            ));
        }
    }
    for (v, _, colour, width, dashed, _) in &markers {
        if !v.is_finite() || !xs.contains(*v) {
            continue;
        }
        let x = xs.px(*v);
        placer.take(super::scene::Area {
            x0: x - 2.0,
            y0: plot.top,
            x1: x + 2.0,
            y1: plot.bottom,
        });
        if *dashed {
            scene.dashed((x, plot.bottom), (x, plot.top), *colour, *width, 7.0, 5.0);
        } else {
            scene.segment((x, plot.bottom), (x, plot.top), *colour, *width);
        }
    }
    let bounds = plot.area();
    for (v, label, colour, _, _, strong) in &markers {
        if !v.is_finite() || !xs.contains(*v) {
            continue;
        }
        let x = xs.px(*v);
        let mut font = Font::new(
            style::NOTE,
            if *colour == style::REFERENCE {
                style::MUTED
            } else {
                *colour
            },
        );
        if *strong {
            font = font.bold();
        }
        // Beside its line first. A mean whose place is taken (two means a few pixels apart)
        // moves further out, in its line's colour; a percentile's label far from its line
        // would be read as another's, so it is left out instead.
        let offsets: &[f64] = if *strong {
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
        if let Some((lx, ly, align, baseline)) = placer.place(label, font, &candidates, &bounds) {
            scene.text(label.clone(), lx, ly, font, align, baseline);
        }
    }
    Chart::from_scene("npv", title, &scene)
}
