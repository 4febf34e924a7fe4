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
    let mut rows = rows(sim);
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

    let heading = layout::Heading::new(&title, &subtitle, &legend_items());
    let plot_top = heading.bottom + 34.0;
    let height = plot_top + rows.len() as f64 * ROW + 70.0 + style::MARGIN;
    let mut scene = heading.scene(height);

    let basis_width = rows
        .iter()
        .map(|r| BASIS_FONT.width(&r.basis))
        .fold(0.0, f64::max)
        .min(220.0);
    let value_width = rows
        .iter()
        .map(|r| VALUE_FONT.width(&style::percent(r.p)))
        .fold(VALUE_FONT.width("100%"), f64::max);
    let plot = Plot {
        left: style::MARGIN + LABEL_WIDTH + 12.0,
        top: plot_top,
        right: layout::right_edge() - basis_width - value_width - 32.0,
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
    let head_y = plot.top - 10.0;
    layout::column_head(
        &mut scene,
        "Feature or deal",
        style::MARGIN,
        head_y,
        Align::Start,
    );
    layout::column_head(
        &mut scene,
        "Chance",
        plot.right + 12.0,
        head_y,
        Align::Start,
    );

    for (i, row) in rows.iter().enumerate() {
        let y0 = plot.top + i as f64 * ROW;
        draw_row(&mut scene, &plot, &xs, row, y0, (value_width, basis_width));
    }
    let x = xs.px(style::ON_TRACK);
    layout::dashed_marker(&mut scene, &plot, x, style::REFERENCE, 2.0);
    Chart::from_scene("on-time", title, &scene)
}

const LABEL_WIDTH: f64 = 330.0;
const VALUE_FONT: Font = Font::new(style::NOTE, style::INK).bold();
const BASIS_FONT: Font = Font::new(style::NOTE, style::MUTED);

/// Every feature's chance of keeping its promise, then every deal's of being won; rows without
/// a chance are left out.
fn rows(sim: &SimResult) -> Vec<Row> {
    sim.features
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
        .collect()
}

fn legend_items() -> Vec<(Mark, String)> {
    vec![
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
    ]
}

/// One row from `y0`: its name (deals on a band, in bold), its bar in its risk colour, the
/// chance and what it is the chance of. `widths`: of the chance and of its basis.
fn draw_row(scene: &mut Scene, plot: &Plot, xs: &Scale, row: &Row, y0: f64, widths: (f64, f64)) {
    let (value_width, basis_width) = widths;
    let mid = y0 + ROW / 2.0;
    if row.deal {
        layout::band(scene, y0 + 1.0, y0 + ROW - 1.0);
    }
    let font = Font::new(style::NOTE, style::INK);
    let font = if row.deal { font.bold() } else { font };
    layout::row_name(scene, &row.label, font, LABEL_WIDTH, mid);
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
    let x = plot.right + 12.0 + value_width;
    scene.text(value, x, mid, VALUE_FONT, Align::End, Baseline::Middle);
    scene.text(
        BASIS_FONT.fit(&row.basis, basis_width),
        x + 14.0,
        mid,
        BASIS_FONT,
        Align::Start,
        Baseline::Middle,
    );
}
