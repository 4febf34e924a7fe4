//! The roadmap as a Gantt chart: planned features grouped by the team that carries most of
//! their work, each with its planned period and, from the simulation, a whisker from the
//! median (P50) to the late (P90) delivery period; customer deals marked at their dates.

use super::layout::{self, Mark};
use super::scene::{readable, Align, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use crate::analysis::recommend::Mark as Commitment;
use crate::model::Model;
use crate::optimize::{PlannedDeal, PlannedFeature};
use crate::simulate::{FeatureOutcome, SimResult};
use std::collections::HashMap;

const ROW: f64 = 28.0;
/// The column of each feature's chance of shipping in its planned period (not by its
/// deadline: the on-time chart has those).
/// On two lines, so that the column is no wider than its percentages.
const ON_TIME_HEAD: [&str; 2] = ["In planned", "period"];
const GROUP: f64 = 32.0;

struct Line<'a> {
    feature: usize,
    period: usize,
    outcome: Option<&'a FeatureOutcome>,
    /// Deals marked on this row: (deal, period of its date, whether the plan wins it).
    deals: Vec<(usize, usize, bool)>,
}

/// `marks`: commitment or stretch goal per feature, for a recommended plan; stretch goals are
/// drawn as open bars.
pub fn render(
    model: &Model,
    features: &[PlannedFeature],
    deals: &[PlannedDeal],
    marks: Option<&[Option<Commitment>]>,
    sim: &SimResult,
) -> Result<Chart, ChartError> {
    let stretch =
        |f: usize| marks.is_some_and(|m| m.get(f).copied().flatten() == Some(Commitment::Stretch));
    let title = "Roadmap: plan and simulated delivery".to_string();
    let periods = model.time.labels.len();
    let outcomes: HashMap<&str, &FeatureOutcome> =
        sim.features.iter().map(|f| (f.id.as_str(), f)).collect();

    // A feature's team is the one with most of its planned weeks; ties go to the team listed
    // first in the scenario. Features with no team work form their own group at the end.
    let teams = model.teams.len();
    let mut groups: Vec<Vec<Line>> = (0..=teams).map(|_| Vec::new()).collect();
    for planned in features {
        let Some(period) = planned.period.filter(|&p| p < periods) else {
            continue;
        };
        let Some(feature) = model.features.get(planned.feature) else {
            continue;
        };
        let team = planned
            .team_weeks
            .iter()
            .filter(|(k, w)| *k < teams && *w > 0.0)
            .max_by(|(ka, wa), (kb, wb)| wa.total_cmp(wb).then(kb.cmp(ka)))
            .map_or(teams, |&(k, _)| k);
        groups[team].push(Line {
            feature: planned.feature,
            period,
            outcome: outcomes.get(feature.id.as_str()).copied(),
            deals: Vec::new(),
        });
    }
    for lines in groups.iter_mut() {
        lines.sort_by_key(|l| (l.period, l.feature));
    }
    let planned_count: usize = groups.iter().map(Vec::len).sum();
    if planned_count == 0 {
        let scene = layout::message(
            &title,
            &model.name,
            "No features planned: the plan delivers nothing within its periods",
        );
        return Chart::from_scene("roadmap", title, &scene);
    }

    // Deals sit on the row of the planned feature that ships last among theirs, at their
    // date (or, without one, the period the plan wins them).
    let mut deals_shown = 0;
    let mut deals_missed = 0;
    // Deals with nothing to mark: no feature of theirs planned, or no date and not won.
    let mut unplanned: Vec<&str> = Vec::new();
    let mut undated: Vec<&str> = Vec::new();
    for (d, deal) in model.deals.iter().enumerate() {
        let customer = if deal.customer.is_empty() {
            deal.id.as_str()
        } else {
            deal.customer.as_str()
        };
        let won_in = deals.iter().find(|p| p.deal == d).and_then(|p| p.won_in);
        let Some(period) = deal.by_period.or(won_in).filter(|&p| p < periods) else {
            undated.push(customer);
            continue;
        };
        let gate = groups
            .iter()
            .enumerate()
            .flat_map(|(g, lines)| lines.iter().enumerate().map(move |(i, l)| (g, i, l)))
            .filter(|(_, _, l)| deal.features.contains(&l.feature))
            .max_by_key(|(_, _, l)| (l.period, std::cmp::Reverse(l.feature)))
            .map(|(g, i, _)| (g, i));
        match gate {
            Some((g, i)) => {
                groups[g][i].deals.push((d, period, won_in.is_some()));
                deals_shown += 1;
                deals_missed += usize::from(won_in.is_none());
            }
            None => unplanned.push(customer),
        }
    }

    // Teams counted by the work the plan gives them, against every team of the scenario: a
    // team that only helps on others' features still has planned work.
    let working = (0..teams)
        .filter(|&k| {
            features.iter().any(|f| {
                f.period.is_some_and(|p| p < periods)
                    && f.team_weeks.iter().any(|&(t, w)| t == k && w > 0.0)
            })
        })
        .count();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let count = crate::report::format::count;
    let mut parts: Vec<String> = Vec::new();
    if !model.name.trim().is_empty() {
        parts.push(model.name.clone());
    }
    parts.push(if working == teams {
        format!(
            "{} feature{} planned for {} team{} over {} period{}",
            count(planned_count),
            s(planned_count),
            count(teams),
            s(teams),
            count(periods),
            s(periods)
        )
    } else {
        format!(
            "{} feature{} planned over {} period{}; {} of {} teams have planned work",
            count(planned_count),
            s(planned_count),
            count(periods),
            s(periods),
            count(working),
            count(teams)
        )
    });
    parts.push(format!(
        "whiskers from {} simulated futures",
        crate::report::format::thousands(sim.trials as f64)
    ));
    let clip = |name: &str| Font::new(style::SUBTITLE, style::MUTED).fit(name, 220.0);
    if !unplanned.is_empty() {
        let names: Vec<String> = unplanned.iter().map(|n| clip(n)).collect();
        parts.push(format!("not won, no feature planned: {}", names.join(", ")));
    }
    if !undated.is_empty() {
        let names: Vec<String> = undated.iter().map(|n| clip(n)).collect();
        parts.push(format!("not won, no date to mark: {}", names.join(", ")));
    }
    let subtitle = parts.join(" · ");

    let mut probe = Scene::new(style::WIDTH, style::HEIGHT);
    let top = layout::header(&mut probe, &title, &subtitle);
    let right_edge = style::WIDTH as f64 - style::MARGIN;
    let any_stretch = groups.iter().flatten().any(|l| stretch(l.feature));
    let mut items = vec![(
        Mark::Swatch(style::BASE.alpha(BAR_ALPHA)),
        if marks.is_some() {
            "Commitment: planned period".to_string()
        } else {
            "Planned delivery period".to_string()
        },
    )];
    if any_stretch {
        items.push((
            Mark::Swatch(style::BASE.alpha(STRETCH_ALPHA)),
            "Stretch goal: planned, less sure".to_string(),
        ));
    }
    items.extend([
        (
            Mark::Whisker(style::INK),
            "Simulated delivery: P50 (dot) to P90".to_string(),
        ),
        (
            Mark::Arrow(style::RISK),
            "P90 after the plan's end".to_string(),
        ),
    ]);
    if deals_shown > deals_missed {
        items.push((Mark::Diamond(style::DEAL), "Deal date".to_string()));
    }
    if deals_missed > 0 {
        items.push((
            Mark::Diamond(style::REFERENCE),
            "Deal the plan does not win".to_string(),
        ));
    }
    let legend_bottom = layout::legend(&mut probe, style::MARGIN, top, right_edge, &items);
    let plot_top = legend_bottom + 40.0;
    let rows_height: f64 = groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| GROUP + g.len() as f64 * ROW)
        .sum();
    let height = plot_top + rows_height + 16.0 + style::MARGIN;
    let mut scene = Scene::new(style::WIDTH, height.max(style::MIN_HEIGHT).ceil() as u32);
    scene.shapes = probe.shapes;

    let name_font = Font::new(style::NOTE, style::INK);
    let team_font = Font::new(style::LABEL, style::INK).bold();
    let head_font = Font::new(style::NOTE, style::MUTED).bold();
    let note_font = Font::new(style::NOTE, style::INK);
    let deal_font = Font::new(style::NOTE, style::INK);
    let on_time_width = ON_TIME_HEAD
        .iter()
        .map(|line| head_font.width(line))
        .fold(note_font.width(">99.9%") + 18.0, f64::max);
    let deal_texts: HashMap<usize, String> = groups
        .iter()
        .flatten()
        .filter(|l| !l.deals.is_empty())
        .map(|l| {
            let names: Vec<String> = l
                .deals
                .iter()
                .map(|&(d, _, won)| {
                    let deal = &model.deals[d];
                    let name = if deal.customer.is_empty() {
                        deal.id.as_str()
                    } else {
                        deal.customer.as_str()
                    };
                    if won {
                        name.to_string()
                    } else {
                        format!("{name} (not won)")
                    }
                })
                .collect();
            (l.feature, names.join(", "))
        })
        .collect();
    let deal_width = if deal_texts.is_empty() {
        0.0
    } else {
        deal_texts
            .values()
            .map(|t| deal_font.width(t))
            .fold(head_font.width("Deal"), f64::max)
            .min(190.0)
    };
    let deal_x = right_edge - deal_width;
    let on_time_x = if deal_width > 0.0 {
        deal_x - 20.0 - on_time_width
    } else {
        right_edge - on_time_width
    };
    let plot_right = on_time_x - 20.0;
    // Names get the room the periods can spare: at least 200 px, at most 380, and each period
    // keeps at least 56 px for its bar and whisker.
    let widest_name = groups
        .iter()
        .flatten()
        .map(|l| {
            let f = &model.features[l.feature];
            name_font.width(if readable(&f.name) { &f.name } else { &f.id })
        })
        .fold(0.0, f64::max);
    let spare = plot_right - 16.0 - style::MARGIN - 56.0 * periods.max(1) as f64;
    let label_width = widest_name.clamp(200.0, 380.0).min(spare.max(200.0));
    let plot_left = style::MARGIN + label_width + 16.0;
    let slot = (plot_right - plot_left) / periods.max(1) as f64;
    let column = |p: usize| {
        (
            plot_left + p as f64 * slot,
            plot_left + (p + 1) as f64 * slot,
        )
    };
    let centre = |p: usize| plot_left + (p as f64 + 0.5) * slot;

    // Period headers, thinned so that they never touch, and the columns' separators.
    let tick_font = Font::new(style::TICK, style::MUTED);
    let labels: Vec<&str> = model.time.labels.iter().map(String::as_str).collect();
    let every = super::capacity::label_stride(&labels, slot, tick_font);
    let grid_bottom = plot_top + rows_height;
    for (p, label) in labels.iter().enumerate() {
        if p % every == 0 {
            scene.text(
                label.to_string(),
                centre(p),
                plot_top - 10.0,
                tick_font,
                Align::Middle,
                Baseline::Bottom,
            );
        }
    }
    for (i, line) in ON_TIME_HEAD.iter().rev().enumerate() {
        scene.text(
            *line,
            on_time_x,
            plot_top - 10.0 - i as f64 * 16.0,
            head_font,
            Align::Start,
            Baseline::Bottom,
        );
    }
    if deal_width > 0.0 {
        scene.text(
            "Deal",
            deal_x,
            plot_top - 10.0,
            head_font,
            Align::Start,
            Baseline::Bottom,
        );
    }

    // Period separators first: team bands and bars are drawn over them.
    for p in 0..=periods {
        let x = plot_left + p as f64 * slot;
        scene.segment((x, plot_top - 4.0), (x, grid_bottom), style::GRID, 1.0);
    }
    let mut y = plot_top;
    let mut shapes_after = Scene::new(scene.width, scene.height);
    for (g, lines) in groups.iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        let team_name = match model.teams.get(g) {
            Some(t) if !t.name.is_empty() => t.name.clone(),
            Some(t) => t.id.clone(),
            None => "No team work".to_string(),
        };
        scene.rect(
            style::MARGIN - 6.0,
            y + 2.0,
            right_edge + 6.0,
            y + GROUP - 2.0,
            style::BAND,
        );
        scene.text(
            team_font.fit(&team_name, right_edge - style::MARGIN),
            style::MARGIN,
            y + GROUP / 2.0,
            team_font,
            Align::Start,
            Baseline::Middle,
        );
        y += GROUP;
        for line in lines {
            let mid = y + ROW / 2.0;
            let feature = &model.features[line.feature];
            // A name of emoji alone draws as nothing: its id stands in.
            let name = if readable(&feature.name) {
                &feature.name
            } else {
                &feature.id
            };
            scene.text(
                name_font.fit(name, label_width),
                style::MARGIN,
                mid,
                name_font,
                Align::Start,
                Baseline::Middle,
            );
            let (a, b) = column(line.period);
            let inset = (slot * 0.06).clamp(1.0, 4.0);
            let fill = if stretch(line.feature) {
                STRETCH_ALPHA
            } else {
                BAR_ALPHA
            };
            scene.rect(
                a + inset,
                mid - 8.0,
                b - inset,
                mid + 8.0,
                style::BASE.alpha(fill),
            );
            scene.outline(a + inset, mid - 8.0, b - inset, mid + 8.0, style::BASE, 1.0);
            let period_of = |label: &Option<String>| {
                label
                    .as_ref()
                    .and_then(|l| model.time.labels.iter().position(|x| x == l))
            };
            if let Some(o) = line.outcome {
                let p50 = period_of(&o.p50_period);
                let p90 = period_of(&o.p90_period);
                let start = p50.map_or(centre(line.period), centre);
                match p90 {
                    Some(p90) => {
                        let end = centre(p90);
                        // P90 in the P50's period: the dot alone says it.
                        if end > start {
                            shapes_after.segment((start, mid), (end, mid), style::INK, 2.0);
                            shapes_after.segment(
                                (end, mid - 6.0),
                                (end, mid + 6.0),
                                style::INK,
                                2.0,
                            );
                        }
                    }
                    None => {
                        let colour = style::RISK;
                        layout::arrow_right(&mut shapes_after, start, plot_right, mid, colour);
                    }
                }
                if p50.is_some() {
                    shapes_after.circle(start, mid, 4.5, style::INK);
                }
                if let Some(p) = o.p_on_plan.filter(|p| p.is_finite()) {
                    scene.rect(
                        on_time_x,
                        mid - 5.0,
                        on_time_x + 10.0,
                        mid + 5.0,
                        style::odds_colour(p),
                    );
                    scene.text(
                        style::percent(p),
                        on_time_x + 16.0,
                        mid,
                        note_font,
                        Align::Start,
                        Baseline::Middle,
                    );
                }
            }
            for &(_, period, won) in &line.deals {
                let colour = if won { style::DEAL } else { style::REFERENCE };
                shapes_after.diamond(column(period).1, mid, 8.0, colour);
            }
            if let Some(text) = deal_texts.get(&line.feature) {
                scene.text(
                    deal_font.fit(text, deal_width),
                    deal_x,
                    mid,
                    deal_font,
                    Align::Start,
                    Baseline::Middle,
                );
            }
            y += ROW;
        }
    }
    // Whiskers, arrows and deal markers over the bars and the grid.
    scene.shapes.extend(shapes_after.shapes);
    Chart::from_scene("roadmap", title, &scene)
}

/// Planned bars are light so that the whisker over them stays legible.
const BAR_ALPHA: f64 = 0.35;
/// Stretch goals are nearly open bars: planned, but not promised.
const STRETCH_ALPHA: f64 = 0.08;
