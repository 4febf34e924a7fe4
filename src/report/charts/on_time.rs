//! The odds of keeping each promise: every feature's chance of shipping by its deadline (or,
//! without one, by its planned period) and every deal's chance of being won, least likely
//! first, coloured by risk band.

use super::layout::{self, Mark, Plot, Scale, Ticks};
use super::scene::{readable, Align, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use crate::simulate::SimResult;

const ROW: f64 = 26.0;

struct Row {
    label: String,
    p: f64,
    basis: String,
    deal: bool,
}

pub fn render(sim: &SimResult) -> Result<Chart, ChartError> {
    // Two promises are measured here, and each row names its own: the deadline when the
    // feature has one, else its planned period (the roadmap chart shows the planned period
    // for every feature).
    let title = "Chance of shipping by the deadline, or else in the planned period".to_string();
    let mut rows: Vec<Row> = sim
        .features
        .iter()
        .map(|f| {
            let name = if readable(&f.name) { &f.name } else { &f.id };
            let (p, basis) = match (&f.deadline, f.p_by_deadline, &f.planned, f.p_on_plan) {
                (Some(d), Some(p), _, _) => (p, format!("by deadline {d}")),
                (_, _, Some(planned), Some(p)) => (p, format!("in planned period {planned}")),
                _ => (f.p_delivered, "within the plan".to_string()),
            };
            Row {
                label: name.clone(),
                p,
                basis,
                deal: false,
            }
        })
        .chain(sim.deals.iter().map(|d| Row {
            label: format!(
                "Deal: {}",
                if d.customer.is_empty() {
                    &d.id
                } else {
                    &d.customer
                }
            ),
            p: d.p_won,
            basis: "won".to_string(),
            deal: true,
        }))
        .filter(|r| r.p.is_finite())
        .collect();
    if rows.is_empty() {
        let scene = layout::message(&title, "", "No features or deals to show");
        return Chart::from_scene("on-time", title, &scene);
    }
    // Least likely first: the top of the chart is where attention is needed. Ties keep the
    // plan's order.
    rows.sort_by(|a, b| a.p.total_cmp(&b.p));

    let at_risk = rows.iter().filter(|r| r.p < style::AT_RISK).count();
    let on_track = rows.iter().filter(|r| r.p >= style::ON_TRACK).count();
    let subtitle = format!(
        "{} of {} on track, {} at risk · a feature with a deadline counts by it; one without, by its planned period · {} simulated futures",
        on_track,
        rows.len(),
        at_risk,
        crate::report::format::thousands(sim.trials as f64),
    );

    let mut probe = Scene::new(style::WIDTH, style::HEIGHT);
    let top = layout::header(&mut probe, &title, &subtitle);
    let right_edge = style::WIDTH as f64 - style::MARGIN;
    let items = vec![
        (
            Mark::Swatch(style::GOOD),
            format!("On track: {} or more", style::percent(style::ON_TRACK)),
        ),
        (
            Mark::Swatch(style::CAUTION),
            format!(
                "{}-{}",
                style::percent(style::AT_RISK),
                style::percent(style::ON_TRACK)
            ),
        ),
        (
            Mark::Swatch(style::RISK),
            format!("At risk: under {}", style::percent(style::AT_RISK)),
        ),
        (
            Mark::Line(style::REFERENCE, 2.0, true),
            format!("{} target", style::percent(style::ON_TRACK)),
        ),
    ];
    let legend_bottom = layout::legend(&mut probe, style::MARGIN, top, right_edge, &items);
    let plot_top = legend_bottom + 34.0;
    let height = plot_top + rows.len() as f64 * ROW + 70.0 + style::MARGIN;
    let mut scene = Scene::new(style::WIDTH, height.max(style::MIN_HEIGHT).ceil() as u32);
    scene.shapes = probe.shapes;

    let label_font = Font::new(style::NOTE, style::INK);
    let deal_font = Font::new(style::NOTE, style::INK).bold();
    let value_font = Font::new(style::NOTE, style::INK).bold();
    let basis_font = Font::new(style::NOTE, style::MUTED);
    let label_width = 330.0;
    let basis_width = rows
        .iter()
        .map(|r| basis_font.width(&r.basis))
        .fold(0.0, f64::max)
        .min(220.0);
    let value_width = rows
        .iter()
        .map(|r| value_font.width(&style::percent(r.p)))
        .fold(value_font.width("100%"), f64::max);
    let plot = Plot {
        left: style::MARGIN + label_width + 12.0,
        top: plot_top,
        right: right_edge - basis_width - value_width - 32.0,
        bottom: plot_top + rows.len() as f64 * ROW,
    };
    let xs = Scale::new(0.0, 1.0, plot.left, plot.right);
    let ticks = Ticks::within(0.0, 1.0, 0.2);
    layout::x_axis_with(
        &mut scene,
        &plot,
        &xs,
        &ticks,
        "Probability",
        &|v| format!("{:.0}%", v * 100.0),
        true,
    );
    // Column heads over the text columns.
    let head_font = Font::new(style::NOTE, style::MUTED).bold();
    scene.text(
        "Feature or deal",
        style::MARGIN,
        plot.top - 10.0,
        head_font,
        Align::Start,
        Baseline::Bottom,
    );
    scene.text(
        "Chance",
        plot.right + 12.0,
        plot.top - 10.0,
        head_font,
        Align::Start,
        Baseline::Bottom,
    );

    for (i, row) in rows.iter().enumerate() {
        let y0 = plot.top + i as f64 * ROW;
        let mid = y0 + ROW / 2.0;
        if row.deal {
            scene.rect(
                style::MARGIN - 6.0,
                y0 + 1.0,
                right_edge + 6.0,
                y0 + ROW - 1.0,
                style::BAND,
            );
        }
        let font = if row.deal { deal_font } else { label_font };
        scene.text(
            font.fit(&row.label, label_width),
            style::MARGIN,
            mid,
            font,
            Align::Start,
            Baseline::Middle,
        );
        let colour = style::odds_colour(row.p);
        if row.p > 0.0 {
            scene.rect(
                plot.left,
                y0 + 5.0,
                xs.px(row.p.clamp(0.0, 1.0)).max(plot.left + 1.0),
                y0 + ROW - 5.0,
                colour,
            );
        }
        let value = style::percent(row.p);
        // Right-aligned, so the percentages line up like a table's numbers.
        scene.text(
            value,
            plot.right + 12.0 + value_width,
            mid,
            value_font,
            Align::End,
            Baseline::Middle,
        );
        scene.text(
            basis_font.fit(&row.basis, basis_width),
            plot.right + 12.0 + value_width + 14.0,
            mid,
            basis_font,
            Align::Start,
            Baseline::Middle,
        );
    }
    let x = xs.px(style::ON_TRACK);
    scene.dashed(
        (x, plot.top - 4.0),
        (x, plot.bottom),
        style::REFERENCE,
        2.0,
        6.0,
        4.0,
    );
    Chart::from_scene("on-time", title, &scene)
}
