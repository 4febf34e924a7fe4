//! The roadmap as a Gantt chart: planned features grouped by the team that carries most of
//! their work, each with its planned period and, from the simulation, a whisker from the
//! median (P50) to the late (P90) delivery period; customer deals marked at their dates.

use super::layout::{self, Mark};
use super::scene::{readable, Align, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use crate::analysis::recommend::Mark as Commitment;
use crate::model::{Deal, Model};
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

/// The deals placed on rows, and those with nothing to mark.
struct Deals<'a> {
    shown: usize,
    /// Shown, but not won by the plan.
    missed: usize,
    /// Not won, with no feature of theirs planned.
    unplanned: Vec<&'a str>,
    /// Not won, with no date to mark.
    undated: Vec<&'a str>,
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
    let mut groups = group_by_team(model, features, sim);
    let planned_count: usize = groups.iter().map(Vec::len).sum();
    if planned_count == 0 {
        let scene = layout::message(
            &title,
            &model.name,
            "No features planned: the plan delivers nothing within its periods",
        );
        return Chart::from_scene("roadmap", title, &scene);
    }
    let placed = place_deals(model, deals, &mut groups);
    let subtitle = subtitle(model, features, sim, planned_count, &placed);
    let any_stretch = groups.iter().flatten().any(|l| stretch(l.feature));
    let items = legend_items(marks.is_some(), any_stretch, &placed);
    let heading = layout::Heading::new(&title, &subtitle, &items);
    let plot_top = heading.bottom + 40.0;
    let rows_height: f64 = groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| GROUP + g.len() as f64 * ROW)
        .sum();
    let height = plot_top + rows_height + 16.0 + style::MARGIN;
    let mut scene = heading.scene(height);

    let columns = Columns::new(model, &groups);
    columns.heads(&mut scene, model, plot_top);
    // Period separators first: team bands and bars are drawn over them.
    for p in 0..=columns.periods {
        let x = columns.plot_left + p as f64 * columns.slot;
        let grid_bottom = plot_top + rows_height;
        scene.segment((x, plot_top - 4.0), (x, grid_bottom), style::GRID, 1.0);
    }
    let mut y = plot_top;
    // Whiskers, arrows and deal markers go over the bars and the grid.
    let mut over = Scene::new(scene.width, scene.height);
    for (g, lines) in groups.iter().enumerate() {
        if lines.is_empty() {
            continue;
        }
        team_head(&mut scene, model, g, y);
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
            layout::row_name(&mut scene, name, FONT, columns.label_width, mid);
            columns.bar(&mut scene, line.period, mid, stretch(line.feature));
            if let Some(o) = line.outcome {
                columns.delivery(&mut scene, &mut over, model, line.period, o, mid);
            }
            for &(_, period, won) in &line.deals {
                let colour = if won { style::DEAL } else { style::REFERENCE };
                over.diamond(columns.column(period).1, mid, 8.0, colour);
            }
            if let Some(text) = columns.deal_texts.get(&line.feature) {
                let text = FONT.fit(text, columns.deal_width);
                scene.text(
                    text,
                    columns.deal_x,
                    mid,
                    FONT,
                    Align::Start,
                    Baseline::Middle,
                );
            }
            y += ROW;
        }
    }
    scene.shapes.extend(over.shapes);
    Chart::from_scene("roadmap", title, &scene)
}

/// Planned features in one group a team, each sorted by period. A feature's team is the one
/// with most of its planned weeks; ties go to the team listed first in the scenario. Features
/// with no team work form their own group at the end.
fn group_by_team<'a>(
    model: &Model,
    features: &[PlannedFeature],
    sim: &'a SimResult,
) -> Vec<Vec<Line<'a>>> {
    let periods = model.time.labels.len();
    let outcomes: HashMap<&str, &FeatureOutcome> =
        sim.features.iter().map(|f| (f.id.as_str(), f)).collect();
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
    groups
}

/// A deal by its customer's name, or its id when it has none.
fn deal_name(deal: &Deal) -> &str {
    if deal.customer.is_empty() {
        deal.id.as_str()
    } else {
        deal.customer.as_str()
    }
}

/// Deals sit on the row of the planned feature that ships last among theirs, at their date
/// (or, without one, the period the plan wins them).
fn place_deals<'m>(model: &'m Model, deals: &[PlannedDeal], groups: &mut [Vec<Line>]) -> Deals<'m> {
    let periods = model.time.labels.len();
    let mut placed = Deals {
        shown: 0,
        missed: 0,
        unplanned: Vec::new(),
        undated: Vec::new(),
    };
    for (d, deal) in model.deals.iter().enumerate() {
        let customer = deal_name(deal);
        let won_in = deals.iter().find(|p| p.deal == d).and_then(|p| p.won_in);
        let Some(period) = deal.by_period.or(won_in).filter(|&p| p < periods) else {
            placed.undated.push(customer);
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
                placed.shown += 1;
                placed.missed += usize::from(won_in.is_none());
            }
            None => placed.unplanned.push(customer),
        }
    }
    placed
}

/// The scenario, what is planned for whom, and the deals the chart cannot mark.
fn subtitle(
    model: &Model,
    features: &[PlannedFeature],
    sim: &SimResult,
    planned_count: usize,
    placed: &Deals,
) -> String {
    let periods = model.time.labels.len();
    let teams = model.teams.len();
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
    let clip = |names: &[&str]| {
        let font = Font::new(style::SUBTITLE, style::MUTED);
        let names: Vec<String> = names.iter().map(|n| font.fit(n, 220.0)).collect();
        names.join(", ")
    };
    if !placed.unplanned.is_empty() {
        parts.push(format!(
            "not won, no feature planned: {}",
            clip(&placed.unplanned)
        ));
    }
    if !placed.undated.is_empty() {
        parts.push(format!(
            "not won, no date to mark: {}",
            clip(&placed.undated)
        ));
    }
    parts.join(" · ")
}

fn legend_items(commitments: bool, any_stretch: bool, placed: &Deals) -> Vec<(Mark, String)> {
    let mut items = vec![(
        Mark::Swatch(style::BASE.alpha(BAR_ALPHA)),
        if commitments {
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
    if placed.shown > placed.missed {
        items.push((Mark::Diamond(style::DEAL), "Deal date".to_string()));
    }
    if placed.missed > 0 {
        items.push((
            Mark::Diamond(style::REFERENCE),
            "Deal the plan does not win".to_string(),
        ));
    }
    items
}

/// A team's name on a band across the chart, at `y`.
fn team_head(scene: &mut Scene, model: &Model, team: usize, y: f64) {
    let team_font = Font::new(style::LABEL, style::INK).bold();
    let team_name = match model.teams.get(team) {
        Some(t) if !t.name.is_empty() => t.name.clone(),
        Some(t) => t.id.clone(),
        None => "No team work".to_string(),
    };
    layout::band(scene, y + 2.0, y + GROUP - 2.0);
    let right_edge = layout::right_edge();
    scene.text(
        team_font.fit(&team_name, right_edge - style::MARGIN),
        style::MARGIN,
        y + GROUP / 2.0,
        team_font,
        Align::Start,
        Baseline::Middle,
    );
}

/// Where things go across the chart: feature names, one column a period, the chance of
/// shipping in the planned period, and the deals.
struct Columns {
    periods: usize,
    label_width: f64,
    plot_left: f64,
    plot_right: f64,
    slot: f64,
    on_time_x: f64,
    deal_x: f64,
    deal_width: f64,
    /// The deals' names on each feature's row.
    deal_texts: HashMap<usize, String>,
}

impl Columns {
    fn new(model: &Model, groups: &[Vec<Line>]) -> Self {
        let periods = model.time.labels.len();
        let head_font = Font::new(style::NOTE, style::MUTED).bold();
        let on_time_width = ON_TIME_HEAD
            .iter()
            .map(|line| head_font.width(line))
            .fold(FONT.width(">99.9%") + 18.0, f64::max);
        let deal_texts = deal_texts(model, groups);
        let deal_width = if deal_texts.is_empty() {
            0.0
        } else {
            deal_texts
                .values()
                .map(|t| FONT.width(t))
                .fold(head_font.width("Deal"), f64::max)
                .min(190.0)
        };
        let right_edge = layout::right_edge();
        let deal_x = right_edge - deal_width;
        let on_time_x = if deal_width > 0.0 {
            deal_x - 20.0 - on_time_width
        } else {
            right_edge - on_time_width
        };
        let plot_right = on_time_x - 20.0;
        // Names get the room the periods can spare: at least 200 px, at most 380, and each
        // period keeps at least 56 px for its bar and whisker.
        let widest_name = groups
            .iter()
            .flatten()
            .map(|l| {
                let f = &model.features[l.feature];
                FONT.width(if readable(&f.name) { &f.name } else { &f.id })
            })
            .fold(0.0, f64::max);
        let spare = plot_right - 16.0 - style::MARGIN - 56.0 * periods.max(1) as f64;
        let label_width = widest_name.clamp(200.0, 380.0).min(spare.max(200.0));
        let plot_left = style::MARGIN + label_width + 16.0;
        Columns {
            periods,
            label_width,
            plot_left,
            plot_right,
            slot: (plot_right - plot_left) / periods.max(1) as f64,
            on_time_x,
            deal_x,
            deal_width,
            deal_texts,
        }
    }

    fn column(&self, p: usize) -> (f64, f64) {
        (
            self.plot_left + p as f64 * self.slot,
            self.plot_left + (p + 1) as f64 * self.slot,
        )
    }

    fn centre(&self, p: usize) -> f64 {
        self.plot_left + (p as f64 + 0.5) * self.slot
    }

    /// Period headers, thinned so that they never touch, and the heads of the columns beside.
    fn heads(&self, scene: &mut Scene, model: &Model, plot_top: f64) {
        let tick_font = Font::new(style::TICK, style::MUTED);
        let labels: Vec<&str> = model.time.labels.iter().map(String::as_str).collect();
        let every = super::capacity::label_stride(&labels, self.slot, tick_font);
        for (p, label) in labels.iter().enumerate() {
            if p % every == 0 {
                scene.text(
                    label.to_string(),
                    self.centre(p),
                    plot_top - 10.0,
                    tick_font,
                    Align::Middle,
                    Baseline::Bottom,
                );
            }
        }
        for (i, line) in ON_TIME_HEAD.iter().rev().enumerate() {
            let y = plot_top - 10.0 - i as f64 * 16.0;
            layout::column_head(scene, line, self.on_time_x, y, Align::Start);
        }
        if self.deal_width > 0.0 {
            layout::column_head(scene, "Deal", self.deal_x, plot_top - 10.0, Align::Start);
        }
    }

    /// The planned period's bar; a stretch goal's nearly open.
    fn bar(&self, scene: &mut Scene, period: usize, mid: f64, stretch: bool) {
        let (a, b) = self.column(period);
        let inset = (self.slot * 0.06).clamp(1.0, 4.0);
        let fill = if stretch { STRETCH_ALPHA } else { BAR_ALPHA };
        scene.rect(
            a + inset,
            mid - 8.0,
            b - inset,
            mid + 8.0,
            style::BASE.alpha(fill),
        );
        scene.outline(a + inset, mid - 8.0, b - inset, mid + 8.0, style::BASE, 1.0);
    }

    /// The simulated delivery: a whisker from P50 to P90 on `over` (an arrow when P90 falls
    /// after the plan's end), and the chance of shipping in the planned period.
    fn delivery(
        &self,
        scene: &mut Scene,
        over: &mut Scene,
        model: &Model,
        period: usize,
        o: &FeatureOutcome,
        mid: f64,
    ) {
        let period_of = |label: &Option<String>| {
            label
                .as_ref()
                .and_then(|l| model.time.labels.iter().position(|x| x == l))
        };
        let p50 = period_of(&o.p50_period);
        let p90 = period_of(&o.p90_period);
        let start = p50.map_or(self.centre(period), |p| self.centre(p));
        match p90 {
            Some(p90) => {
                let end = self.centre(p90);
                // P90 in the P50's period: the dot alone says it.
                if end > start {
                    over.segment((start, mid), (end, mid), style::INK, 2.0);
                    over.segment((end, mid - 6.0), (end, mid + 6.0), style::INK, 2.0);
                }
            }
            None => layout::arrow_right(over, start, self.plot_right, mid, style::RISK),
        }
        if p50.is_some() {
            over.circle(start, mid, 4.5, style::INK);
        }
        if let Some(p) = o.p_on_plan.filter(|p| p.is_finite()) {
            let x = self.on_time_x;
            scene.rect(x, mid - 5.0, x + 10.0, mid + 5.0, style::odds_colour(p));
            scene.text(
                style::percent(p),
                x + 16.0,
                mid,
                FONT,
                Align::Start,
                Baseline::Middle,
            );
        }
    }
}

/// Each row's deals by name, those the plan does not win said so.
fn deal_texts(model: &Model, groups: &[Vec<Line>]) -> HashMap<usize, String> {
    groups
        .iter()
        .flatten()
        .filter(|l| !l.deals.is_empty())
        .map(|l| {
            let names: Vec<String> = l
                .deals
                .iter()
                .map(|&(d, _, won)| {
                    let name = deal_name(&model.deals[d]);
                    if won {
                        name.to_string()
                    } else {
                        format!("{name} (not won)")
                    }
                })
                .collect();
            (l.feature, names.join(", "))
        })
        .collect()
}

/// Feature names, the chances and the deals are all written in one font.
const FONT: Font = Font::new(style::NOTE, style::INK);

/// Planned bars are light so that the whisker over them stays legible.
const BAR_ALPHA: f64 = 0.35;
/// Stretch goals are nearly open bars: planned, but not promised.
const STRETCH_ALPHA: f64 = 0.08;
