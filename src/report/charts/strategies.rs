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
    let ci = |r: &StrategyResult| {
        r.versus_best
            .filter(|p| p.low.is_finite() && p.high.is_finite())
            .map(|p| (best.npv_mean + p.low, best.npv_mean + p.high))
    };

    let mut subtitle = format!(
        "{} simulated futures, the same for every strategy · best: {} at {} mean NPV",
        crate::report::format::thousands(t.trials as f64),
        best.name,
        m(best.npv_mean)
    );
    if !failed.is_empty() {
        subtitle.push_str(&format!(" · not run: {}", failed.join(", ")));
    }

    let mut probe = Scene::new(style::WIDTH, style::HEIGHT);
    let top = layout::header(&mut probe, &title, &subtitle);
    let right_edge = style::WIDTH as f64 - style::MARGIN;
    let items = vec![
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
    ];
    let legend_bottom = layout::legend(&mut probe, style::MARGIN, top, right_edge, &items);
    let plot_top = legend_bottom + 34.0;
    let height = plot_top + rows.len() as f64 * ROW + 70.0 + style::MARGIN;
    let mut scene = Scene::new(style::WIDTH, height.max(style::MIN_HEIGHT).ceil() as u32);
    scene.shapes = probe.shapes;

    let name_font = Font::new(style::LABEL, style::INK);
    let best_font = name_font.bold();
    let share_font = Font::new(style::LABEL, style::INK).bold();
    let diff_font = Font::new(style::NOTE, style::MUTED);
    let label_width = rows
        .iter()
        .map(|r| best_font.width(&r.name))
        .fold(0.0, f64::max)
        .min(260.0);
    let share_col = share_font
        .width("100%")
        .max(Font::new(style::NOTE, style::MUTED).bold().width("of best"));
    let diffs: Vec<String> = rows
        .iter()
        .map(|r| {
            if r.name == best.name {
                "best".to_string()
            } else {
                r.versus_best.map(|p| m(p.mean)).unwrap_or_default()
            }
        })
        .collect();
    let diff_col = diffs.iter().map(|d| diff_font.width(d)).fold(
        Font::new(style::NOTE, style::MUTED).bold().width("vs best"),
        f64::max,
    );

    let (lo, hi) = rows
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
            let mut lo = lo.min(r.npv_mean);
            let mut hi = hi.max(r.npv_mean);
            for v in [r.npv_p10, r.npv_p90] {
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            if let Some((a, b)) = ci(r) {
                lo = lo.min(a);
                hi = hi.max(b);
            }
            (lo, hi)
        });
    let plot_left = style::MARGIN + label_width + 20.0;
    let plot_right = right_edge - share_col - diff_col - 44.0;
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
        scene.rect(
            style::MARGIN - 6.0,
            y0,
            right_edge + 6.0,
            y0 + ROW,
            style::BAND,
        );
    }
    layout::x_axis(&mut scene, &plot, &xs, &ticks, &format!("NPV ({currency})"));
    let head = Font::new(style::NOTE, style::MUTED).bold();
    let share_x = plot.right + 20.0 + share_col;
    let diff_x = share_x + 16.0 + diff_col;
    scene.text(
        "Strategy",
        style::MARGIN,
        plot.top - 10.0,
        head,
        Align::Start,
        Baseline::Bottom,
    );
    scene.text(
        "of best",
        share_x,
        plot.top - 10.0,
        head,
        Align::End,
        Baseline::Bottom,
    );
    scene.text(
        "vs best",
        diff_x,
        plot.top - 10.0,
        head,
        Align::End,
        Baseline::Bottom,
    );

    let best_x = xs.px(best.npv_mean);
    scene.dashed(
        (best_x, plot.top - 4.0),
        (best_x, plot.bottom),
        style::INK,
        1.5,
        6.0,
        4.0,
    );

    for (i, r) in rows.iter().enumerate() {
        let y0 = plot.top + i as f64 * ROW;
        let mid = y0 + ROW / 2.0;
        let is_best = r.name == best.name;
        let font = if is_best { best_font } else { name_font };
        scene.text(
            font.fit(&r.name, label_width),
            style::MARGIN,
            mid,
            font,
            Align::Start,
            Baseline::Middle,
        );
        if r.npv_p10.is_finite() && r.npv_p90.is_finite() {
            let (a, b) = (xs.px(r.npv_p10), xs.px(r.npv_p90));
            scene.segment((a, mid), (b, mid), style::REFERENCE, 2.0);
            scene.segment((a, mid - 6.0), (a, mid + 6.0), style::REFERENCE, 2.0);
            scene.segment((b, mid - 6.0), (b, mid + 6.0), style::REFERENCE, 2.0);
        }
        if let Some((a, b)) = ci(r) {
            if !is_best {
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
        // A share, not a probability: a loss-making rule reads as a negative share.
        let share = if r.share_of_best.is_finite() {
            format!("{:.0}%", r.share_of_best * 100.0 + 0.0)
        } else {
            String::new()
        };
        scene.text(
            share,
            share_x,
            mid,
            share_font,
            Align::End,
            Baseline::Middle,
        );
        scene.text(
            diffs[i].clone(),
            diff_x,
            mid,
            diff_font,
            Align::End,
            Baseline::Middle,
        );
    }
    Chart::from_scene("strategies", title, &scene)
}
