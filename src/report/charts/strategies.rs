//! The strategy tournament: each prioritisation rule and optimal plan as a row, best first,
//! with its mean NPV, its P10-P90 range, the 95% interval of its paired difference from the
//! best, and its share of the best's mean.

use super::layout::{self, Mark, Plot, Scale, Ticks};
use super::scene::{Align, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use crate::analysis::strategies::{StrategyResult, Tournament};

const ROW: f64 = 36.0;

pub fn render(t: &Tournament) -> Result<Chart, ChartError> {
    let title = "Prioritisation strategies compared".to_string();
    let mut rows: Vec<&StrategyResult> = t
        .results
        .iter()
        .filter(|r| r.error.is_none() && r.npv_mean.is_finite())
        .collect();
    let failed: Vec<&str> = t
        .results
        .iter()
        .filter(|r| r.error.is_some() || !r.npv_mean.is_finite())
        .map(|r| r.name.as_str())
        .collect();
    if rows.is_empty() {
        let scene = layout::message(&title, "", "No strategy ran to completion");
        return Chart::from_scene("strategies", title, &scene);
    }
    rows.sort_by(|a, b| b.npv_mean.total_cmp(&a.npv_mean));
    let best = t
        .best
        .as_deref()
        .and_then(|name| rows.iter().find(|r| r.name == name))
        .copied()
        .unwrap_or(rows[0]);
    let currency = t.currency.as_str();
    let m = |x: f64| style::money(x, currency);

    let mut subtitle = format!(
        "{} simulated futures, the same for every strategy · best: {} at {} mean NPV",
        crate::report::format::thousands(t.trials as f64),
        best.name,
        m(best.npv_mean)
    );
    if !failed.is_empty() {
        subtitle.push_str(&format!(" · not run: {}", failed.join(", ")));
    }

    let heading = layout::Heading::new(&title, &subtitle, &legend_items());
    let plot_top = heading.bottom + 34.0;
    let height = plot_top + rows.len() as f64 * ROW + 70.0 + style::MARGIN;
    let mut scene = heading.scene(height);

    let table = Table::new(&rows, best, currency);
    let (lo, hi) = npv_range(&rows, best);
    let plot_left = style::MARGIN + table.label_width + 20.0;
    let plot_right = layout::right_edge() - table.share_col - table.diff_col - 44.0;
    let ticks = Ticks::new(lo, hi, layout::tick_budget(plot_right - plot_left, 50.0));
    let plot = Plot {
        left: plot_left,
        top: plot_top,
        right: plot_right,
        bottom: plot_top + rows.len() as f64 * ROW,
    };
    let xs = Scale::new(ticks.lo, ticks.hi, plot.left, plot.right);
    // Bands first, so that grid lines and marks stay on top of them.
    for i in (1..rows.len()).step_by(2) {
        let y0 = plot.top + i as f64 * ROW;
        layout::band(&mut scene, y0, y0 + ROW);
    }
    layout::x_axis(&mut scene, &plot, &xs, &ticks, &format!("NPV ({currency})"));
    let share_x = plot.right + 20.0 + table.share_col;
    let diff_x = share_x + 16.0 + table.diff_col;
    let head_y = plot.top - 10.0;
    layout::column_head(&mut scene, "Strategy", style::MARGIN, head_y, Align::Start);
    layout::column_head(&mut scene, "of best", share_x, head_y, Align::End);
    layout::column_head(&mut scene, "vs best", diff_x, head_y, Align::End);
    layout::dashed_marker(&mut scene, &plot, xs.px(best.npv_mean), style::INK, 1.5);

    for (i, r) in rows.iter().enumerate() {
        let mid = plot.top + i as f64 * ROW + ROW / 2.0;
        let is_best = r.name == best.name;
        let font = if is_best {
            table.best_font
        } else {
            table.name_font
        };
        layout::row_name(&mut scene, &r.name, font, table.label_width, mid);
        draw_ranges(&mut scene, &xs, r, best, mid);
        // A share, not a probability: a loss-making rule reads as a negative share.
        let share = if r.share_of_best.is_finite() {
            format!("{:.0}%", r.share_of_best * 100.0 + 0.0)
        } else {
            String::new()
        };
        let share_font = table.share_font;
        scene.text(
            share,
            share_x,
            mid,
            share_font,
            Align::End,
            Baseline::Middle,
        );
        let diff_font = table.diff_font;
        let diff = table.diffs[i].clone();
        scene.text(diff, diff_x, mid, diff_font, Align::End, Baseline::Middle);
    }
    Chart::from_scene("strategies", title, &scene)
}

fn legend_items() -> Vec<(Mark, String)> {
    vec![
        (Mark::Dot(style::BASE), "Mean NPV".to_string()),
        (
            Mark::Line(style::REFERENCE, 2.0, false),
            "P10 to P90".to_string(),
        ),
        (
            Mark::Swatch(style::BASE.alpha(0.3)),
            "95% interval of the paired difference from the best".to_string(),
        ),
        (Mark::Line(style::INK, 1.5, true), "Best mean".to_string()),
    ]
}

/// The 95% interval of a strategy's mean NPV, from that of its paired difference from the best.
fn interval(r: &StrategyResult, best: &StrategyResult) -> Option<(f64, f64)> {
    r.versus_best
        .filter(|p| p.low.is_finite() && p.high.is_finite())
        .map(|p| (best.npv_mean + p.low, best.npv_mean + p.high))
}

/// The NPVs the axis must show: every mean, P10, P90 and interval.
fn npv_range(rows: &[&StrategyResult], best: &StrategyResult) -> (f64, f64) {
    rows.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
            let mut lo = lo.min(r.npv_mean);
            let mut hi = hi.max(r.npv_mean);
            for v in [r.npv_p10, r.npv_p90] {
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            if let Some((a, b)) = interval(r, best) {
                lo = lo.min(a);
                hi = hi.max(b);
            }
            (lo, hi)
        })
}

/// A row's P10-P90 whisker, its interval against the best, and its mean.
fn draw_ranges(scene: &mut Scene, xs: &Scale, r: &StrategyResult, best: &StrategyResult, mid: f64) {
    if r.npv_p10.is_finite() && r.npv_p90.is_finite() {
        let (a, b) = (xs.px(r.npv_p10), xs.px(r.npv_p90));
        scene.segment((a, mid), (b, mid), style::REFERENCE, 2.0);
        scene.segment((a, mid - 6.0), (a, mid + 6.0), style::REFERENCE, 2.0);
        scene.segment((b, mid - 6.0), (b, mid + 6.0), style::REFERENCE, 2.0);
    }
    if let Some((a, b)) = interval(r, best) {
        if r.name != best.name {
            let (a, b) = (xs.px(a), xs.px(b));
            scene.rect(
                a.min(b - 2.0),
                mid - 8.0,
                b.max(a + 2.0),
                mid + 8.0,
                style::BASE.alpha(0.3),
            );
        }
    }
    scene.circle(xs.px(r.npv_mean), mid, 7.0, style::BASE);
}

/// The text columns: names on the left, share of the best and difference from it on the right.
struct Table {
    name_font: Font,
    best_font: Font,
    share_font: Font,
    diff_font: Font,
    label_width: f64,
    share_col: f64,
    diff_col: f64,
    diffs: Vec<String>,
}

impl Table {
    fn new(rows: &[&StrategyResult], best: &StrategyResult, currency: &str) -> Self {
        let name_font = Font::new(style::LABEL, style::INK);
        let best_font = name_font.bold();
        let share_font = Font::new(style::LABEL, style::INK).bold();
        let diff_font = Font::new(style::NOTE, style::MUTED);
        let head_font = Font::new(style::NOTE, style::MUTED).bold();
        let label_width = rows
            .iter()
            .map(|r| best_font.width(&r.name))
            .fold(0.0, f64::max)
            .min(260.0);
        let share_col = share_font.width("100%").max(head_font.width("of best"));
        let diffs: Vec<String> = rows
            .iter()
            .map(|r| {
                if r.name == best.name {
                    "best".to_string()
                } else {
                    r.versus_best
                        .map(|p| style::money(p.mean, currency))
                        .unwrap_or_default()
                }
            })
            .collect();
        let diff_col = diffs
            .iter()
            .map(|d| diff_font.width(d))
            .fold(head_font.width("vs best"), f64::max);
        Table {
            name_font,
            best_font,
            share_font,
            diff_font,
            label_width,
            share_col,
            diff_col,
            diffs,
        }
    }
}
