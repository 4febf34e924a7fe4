//! Estimated against actual effort, one point per finished item, on log-log axes (a ratio
//! reads the same at every size): the line where actual equals the likely estimate, and each
//! fitted team's bias line, actual = bias × likely.

use super::layout::{self, Mark, Plot, Scale, Ticks};
use super::scene::{Align, Baseline, Font, Scene};
use super::style::{self, Colour};
use super::{Chart, ChartError};
use crate::analysis::calibrate::Calibration;
use crate::model::dist::fmt_num;
use crate::scenario::history::HistoryItem;

/// One colour per team, in the order of the report; the palette repeats past eight teams.
const PALETTE: [Colour; 8] = [
    style::BASE,
    style::OTHER,
    style::GOOD,
    style::RISK,
    style::DEAL,
    style::LIGHT,
    style::MUTED,
    style::CAUTION,
];
const RADIUS: f64 = 5.0;

/// Log-spaced round ticks (1, 2, 5 per decade) covering lo..hi, as natural logs.
fn log_ticks(lo: f64, hi: f64) -> Ticks {
    let mut values = Vec::new();
    let first = lo.log10().floor() as i32 - 1;
    let last = hi.log10().ceil() as i32 + 1;
    let span = hi / lo;
    // Wide ranges keep only the decades' 1s so the labels do not crowd.
    let steps: &[f64] = if span > 2000.0 {
        &[1.0]
    } else if span > 60.0 {
        &[1.0, 3.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    for k in first..=last {
        for s in steps {
            let v = s * 10f64.powi(k);
            if v >= lo * 0.999 && v <= hi * 1.001 {
                values.push(v.ln());
            }
        }
    }
    Ticks {
        lo: lo.ln(),
        hi: hi.ln(),
        step: 1.0,
        values,
    }
}

pub fn render(items: &[HistoryItem], result: &Calibration) -> Result<Chart, ChartError> {
    let title = "Estimated against actual effort".to_string();
    let subtitle = format!(
        "Each point is a finished item from {} · above the dashed line it took longer than its likely estimate",
        result.source
    );
    let points: Vec<(f64, f64, usize)> = items
        .iter()
        .filter_map(|i| {
            let team = result.teams.iter().position(|t| t.name == i.team)?;
            let (x, y) = (i.estimate.likely(), i.actual);
            (x > 0.0 && y > 0.0 && x.is_finite() && y.is_finite()).then_some((x, y, team))
        })
        .collect();
    if points.is_empty() {
        let scene = layout::message(&title, &subtitle, "No items to show");
        return Chart::from_scene("calibration", title, &scene);
    }
    let colour = |team: usize| PALETTE[team % PALETTE.len()];

    let mut scene = Scene::new(style::WIDTH, style::HEIGHT);
    let top = layout::header(&mut scene, &title, &subtitle);
    let right = scene.width as f64 - style::MARGIN;
    let mut legend: Vec<(Mark, String)> = result
        .teams
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let fit = match t.bias {
                Some(b) => format!("bias ×{b:.2}"),
                None => "not fitted".to_string(),
            };
            (
                Mark::Dot(colour(k)),
                format!("{} ({} items, {fit})", t.name, t.items),
            )
        })
        .collect();
    legend.push((
        Mark::Line(style::REFERENCE, 2.0, true),
        "actual = likely estimate".to_string(),
    ));
    let legend_bottom = layout::legend(&mut scene, style::MARGIN, top, right, &legend);

    // One range for both axes, so that the y = x line runs at 45 degrees.
    let (lo, hi) = points.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), p| {
        (lo.min(p.0).min(p.1), hi.max(p.0).max(p.1))
    });
    let (lo, hi) = (lo / 1.3, hi * 1.3);
    let ticks = log_ticks(lo, hi);
    let label = |v: f64| fmt_num(round_tick(v.exp()));
    let widest = layout::widest_tick_label(&ticks, &label);
    let bottom = scene.height as f64 - style::MARGIN - 64.0;
    let left = style::MARGIN + widest + 40.0;
    // A square plot, centred in what is left, keeps equal ratios at equal distances.
    let side = (bottom - (legend_bottom + 24.0)).min(right - left);
    let plot = Plot {
        left,
        top: bottom - side,
        right: left + side,
        bottom,
    };
    let xs = Scale::new(ticks.lo, ticks.hi, plot.left, plot.right);
    let ys = Scale::new(ticks.lo, ticks.hi, plot.bottom, plot.top);
    layout::y_axis_with(
        &mut scene,
        &plot,
        &ys,
        &ticks,
        "Actual (person-weeks)",
        &label,
    );
    layout::x_axis_with(
        &mut scene,
        &plot,
        &xs,
        &ticks,
        "Likely estimate (person-weeks)",
        &label,
        true,
    );

    // A line actual = factor × likely, clipped to the plot.
    let line = |factor: f64| {
        let shift = factor.ln();
        let from = ticks.lo.max(ticks.lo - shift);
        let to = ticks.hi.min(ticks.hi - shift);
        (from < to).then(|| {
            (
                (xs.px(from), ys.px(from + shift)),
                (xs.px(to), ys.px(to + shift)),
            )
        })
    };
    if let Some((a, b)) = line(1.0) {
        scene.dashed(a, b, style::REFERENCE, 2.0, 8.0, 5.0);
    }
    for &(x, y, team) in &points {
        scene.circle(
            xs.px(x.ln()),
            ys.px(y.ln()),
            RADIUS,
            colour(team).alpha(0.75),
        );
    }
    for (k, t) in result.teams.iter().enumerate() {
        let Some(bias) = t.bias else { continue };
        // Named in the legend with its bias: labels at the lines' ends collide when two
        // teams' biases are close.
        if let Some((a, b)) = line(bias) {
            scene.segment(a, b, colour(k), 2.5);
        }
    }
    // Beside the square plot: how to read it, where the space would otherwise be empty.
    let note = Font::new(style::NOTE, style::MUTED);
    let x = plot.right + 36.0;
    if right - x > 200.0 {
        let lines = [
            "Points above the dashed line took",
            "longer than estimated; below, less.",
            "",
            "A team's solid line is its typical",
            "overrun: actual = bias × likely.",
            "Log scales: equal distances are",
            "equal ratios.",
        ];
        for (i, text) in lines.iter().enumerate() {
            scene.text(
                text.to_string(),
                x,
                plot.top + 8.0 + i as f64 * 22.0,
                note,
                Align::Start,
                Baseline::Top,
            );
        }
    }
    Chart::from_scene("calibration", title, &scene)
}

/// A tick value without the float noise of exp(ln v).
fn round_tick(v: f64) -> f64 {
    let digits = 10f64.powi(2 - v.log10().floor() as i32);
    (v * digits).round() / digits
}
