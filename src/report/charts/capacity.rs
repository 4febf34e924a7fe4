//! Team capacity against the work the simulation puts on it, period by period: one small
//! chart per team, mean work as bars with a whisker to the busy case (P90), capacity as a
//! line across each period.

use super::layout::{self, Mark, Plot, Scale, Ticks};
use super::scene::{Align, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use crate::simulate::{SimResult, TeamOutcome};

const PANEL_HEIGHT: f64 = 220.0;
const PANEL_GAP: f64 = 26.0;

pub fn render(sim: &SimResult) -> Result<Chart, ChartError> {
    let title = "Team capacity and simulated work".to_string();
    let teams: Vec<_> = sim.teams.iter().filter(|t| !t.periods.is_empty()).collect();
    if teams.is_empty() {
        let scene = layout::message(&title, "", "No teams or periods to show");
        return Chart::from_scene("capacity", title, &scene);
    }
    let subtitle = format!(
        "Person-weeks per period, over {} simulated futures; capacity after attrition and support load",
        crate::report::format::thousands(sim.trials as f64)
    );
    let columns = if teams.len() <= 4 { 1 } else { 2 };
    let rows = teams.len().div_ceil(columns);

    // Height follows the number of teams; lay out the header first to know where panels start.
    let items = vec![
        (Mark::Swatch(style::BASE), "Mean work done".to_string()),
        (
            Mark::Cap(style::MUTED),
            "P90 of work (a busy period)".to_string(),
        ),
        (
            Mark::Line(style::INK, 3.0, false),
            "Mean capacity".to_string(),
        ),
    ];
    let heading = layout::Heading::new(&title, &subtitle, &items);
    let legend_bottom = heading.bottom;
    let height =
        legend_bottom + 12.0 + rows as f64 * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP + style::MARGIN;
    let mut scene = heading.scene(height);

    let right = layout::right_edge();
    let panel_width = (right - style::MARGIN - (columns as f64 - 1.0) * 40.0) / columns as f64;
    for (i, team) in teams.iter().enumerate() {
        let (col, row) = (i % columns, i / columns);
        let x0 = style::MARGIN + col as f64 * (panel_width + 40.0);
        let y0 = legend_bottom + 12.0 + row as f64 * (PANEL_HEIGHT + PANEL_GAP);
        panel_title(&mut scene, team, x0, y0, panel_width);
        let (plot, ys) = panel_axis(&mut scene, team, x0, y0, panel_width);
        draw_periods(&mut scene, team, &plot, &ys);
    }
    Chart::from_scene("capacity", title, &scene)
}

/// The team's name, and on the right how much of its capacity the work used.
fn panel_title(scene: &mut Scene, team: &TeamOutcome, x0: f64, y0: f64, panel_width: f64) {
    let name_font = Font::new(style::LABEL, style::INK).bold();
    let (capacity, work): (f64, f64) = team.periods.iter().fold((0.0, 0.0), |(c, w), p| {
        (c + p.capacity_weeks, w + p.work_weeks)
    });
    let note = if capacity > 0.0 {
        format!("{} of capacity used", style::percent(work / capacity))
    } else {
        "no capacity".to_string()
    };
    let note_font = Font::new(style::NOTE, style::MUTED);
    let note_width = note_font.width(&note);
    let name = if team.name.is_empty() || team.name == team.id {
        team.id.clone()
    } else {
        team.name.clone()
    };
    scene.text(
        name_font.fit(&name, panel_width - note_width - 24.0),
        x0,
        y0,
        name_font,
        Align::Start,
        Baseline::Top,
    );
    scene.text(
        note,
        x0 + panel_width,
        y0,
        note_font,
        Align::End,
        Baseline::Top,
    );
}

/// The panel's person-weeks axis, from zero to its busiest period; returns the plot and its
/// scale.
fn panel_axis(
    scene: &mut Scene,
    team: &TeamOutcome,
    x0: f64,
    y0: f64,
    panel_width: f64,
) -> (Plot, Scale) {
    let peak = team
        .periods
        .iter()
        .map(|p| p.capacity_weeks.max(p.work_p90_weeks).max(p.work_weeks))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let y_ticks = Ticks::new(0.0, peak.max(1e-9), 4);
    let format = y_ticks.format();
    let widest = layout::widest_tick_label(&y_ticks, &|v| format.format(v));
    let plot = Plot {
        left: x0 + widest + 12.0,
        top: y0 + 52.0,
        right: x0 + panel_width,
        bottom: y0 + PANEL_HEIGHT - 30.0,
    };
    scene.text(
        "Person-weeks",
        x0,
        plot.top - 12.0,
        Font::new(style::NOTE, style::MUTED),
        Align::Start,
        Baseline::Bottom,
    );
    let ys = Scale::new(0.0, y_ticks.hi, plot.bottom, plot.top);
    for &v in &y_ticks.values {
        let y = ys.px(v);
        scene.segment((plot.left, y), (plot.right, y), style::GRID, 1.0);
        scene.text(
            format.format(v),
            plot.left - 8.0,
            y,
            TICK_FONT,
            Align::End,
            Baseline::Middle,
        );
    }
    scene.segment(
        (plot.left, plot.bottom),
        (plot.right, plot.bottom),
        style::REFERENCE,
        1.0,
    );
    (plot, ys)
}

const TICK_FONT: Font = Font::new(style::TICK, style::MUTED);

/// Each period's mean work as a bar, a whisker up to its P90, its capacity as a line, and its
/// label where there is room.
fn draw_periods(scene: &mut Scene, team: &TeamOutcome, plot: &Plot, ys: &Scale) {
    let n = team.periods.len();
    let slot = (plot.right - plot.left) / n as f64;
    let labels: Vec<&str> = team.periods.iter().map(|p| p.period.as_str()).collect();
    let every = label_stride(&labels, slot, TICK_FONT);
    for (k, p) in team.periods.iter().enumerate() {
        let (a, b) = (
            plot.left + k as f64 * slot,
            plot.left + (k + 1) as f64 * slot,
        );
        let centre = (a + b) / 2.0;
        let bar = (slot * 0.56).min(70.0);
        if p.work_weeks.is_finite() && p.work_weeks > 0.0 {
            scene.rect(
                centre - bar / 2.0,
                ys.px(p.work_weeks),
                centre + bar / 2.0,
                plot.bottom,
                style::BASE,
            );
        }
        if p.work_p90_weeks.is_finite() && p.work_p90_weeks > p.work_weeks {
            let (y0, y1) = (ys.px(p.work_weeks), ys.px(p.work_p90_weeks));
            scene.segment((centre, y0), (centre, y1), style::MUTED, 2.0);
            let cap = (bar / 4.0).clamp(3.0, 8.0);
            scene.segment((centre - cap, y1), (centre + cap, y1), style::MUTED, 2.0);
        }
        if p.capacity_weeks.is_finite() {
            let y = ys.px(p.capacity_weeks);
            let half = (slot * 0.42).min(52.0);
            scene.segment((centre - half, y), (centre + half, y), style::INK, 3.0);
        }
        if k % every == 0 {
            scene.text(
                p.period.clone(),
                centre,
                plot.bottom + 8.0,
                TICK_FONT,
                Align::Middle,
                Baseline::Top,
            );
        }
    }
}

/// Label every n-th period so that period labels never touch.
pub fn label_stride(labels: &[&str], slot: f64, font: Font) -> usize {
    let widest = labels.iter().map(|l| font.width(l)).fold(0.0, f64::max);
    ((widest + 12.0) / slot.max(1.0)).ceil().max(1.0) as usize
}
