//! The efficient frontier: each point an optimized plan, expected NPV against its downside
//! (CVaR) or against the budget it was given. Plans no other plan beats on both axes are
//! joined; the others are drawn hollow and grey.

use super::layout::{self, Mark, Placer, Plot, Scale, Ticks};
use super::scene::{Align, Area, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontierPoint {
    /// CVaR of the plan's NPV, or the budget it was optimized under.
    pub x: f64,
    pub npv_mean: f64,
    /// Features the plan delivers.
    pub features: usize,
    /// What produced the plan: "λ=0.5", "budget $2M".
    pub label: String,
    /// Another plan is at least as good on both axes and better on one.
    pub dominated: bool,
    /// Standard errors of x and of the mean, when the point is estimated by simulation: the
    /// axes never zoom in so far that a spread within them looks like a trade-off.
    pub x_error: f64,
    pub npv_error: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum FrontierAxis {
    /// Conditional value at risk at `alpha`: the mean NPV of the worst 1 - alpha of futures.
    Cvar {
        alpha: f64,
    },
    Budget,
}

const RADIUS: f64 = 7.0;
/// An axis spans at least this many standard errors of the estimates on it.
const SAMPLING_SPANS: f64 = 20.0;

pub fn render(
    points: &[FrontierPoint],
    axis: FrontierAxis,
    currency: &str,
) -> Result<Chart, ChartError> {
    let (title, x_title, subtitle) = match axis {
        FrontierAxis::Cvar { alpha } => (
            "Return against downside risk".to_string(),
            format!(
                "CVaR {}: mean NPV of the worst {} of futures ({currency})",
                whole_percent(alpha),
                whole_percent(1.0 - alpha)
            ),
            "Each point is an optimized plan · up is more value on average, right is a better bad case · plans beaten on both are grey".to_string(),
        ),
        FrontierAxis::Budget => (
            "Expected NPV by budget".to_string(),
            format!("Budget ({currency})"),
            "Each point is the optimal plan for a budget · plans that a smaller budget matches or beats are grey".to_string(),
        ),
    };
    let points: Vec<&FrontierPoint> = points
        .iter()
        .filter(|p| p.x.is_finite() && p.npv_mean.is_finite())
        .collect();
    if points.is_empty() {
        let scene = layout::message(&title, &subtitle, "No plans to show");
        return Chart::from_scene("frontier", title, &scene);
    }

    let items = vec![
        (Mark::Dot(style::BASE), "Plan on the frontier".to_string()),
        (Mark::Ring(style::REFERENCE), "Dominated plan".to_string()),
    ];
    let heading = layout::Heading::new(&title, &subtitle, &items);
    let plot_top = heading.bottom + 30.0;
    let mut scene = heading.scene(style::HEIGHT as f64);
    let (plot, xs, ys) = axes(&mut scene, &points, plot_top, &x_title, currency);

    let mut placer = Placer::new();
    let at = |p: &FrontierPoint| (xs.px(p.x), ys.px(p.npv_mean));
    let mut frontier: Vec<&FrontierPoint> =
        points.iter().copied().filter(|p| !p.dominated).collect();
    frontier.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.npv_mean.total_cmp(&b.npv_mean)));
    let path: Vec<(f64, f64)> = frontier.iter().map(|p| at(p)).collect();
    // Labels keep off the line: mark points along it as taken.
    for pair in path.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let steps = (length / 6.0).ceil().max(1.0) as usize;
        placer.take_line(a, b, steps, 2.0);
    }
    for p in &points {
        let (x, y) = at(p);
        placer.take(Area {
            x0: x - RADIUS - 1.0,
            y0: y - RADIUS - 1.0,
            x1: x + RADIUS + 1.0,
            y1: y + RADIUS + 1.0,
        });
    }
    scene.line(path, style::BASE, 2.5);
    for p in points.iter().filter(|p| p.dominated) {
        let (x, y) = at(p);
        scene.ring(x, y, RADIUS, style::REFERENCE, 2.0);
    }
    for p in &frontier {
        let (x, y) = at(p);
        scene.circle(x, y, RADIUS, style::BASE);
    }

    // Labels: frontier plans first (they matter most), each at the first free spot around
    // its point; a shorter label, then none, when nothing fits.
    let bounds = plot.area();
    let dominated = points.iter().copied().filter(|p| p.dominated);
    for p in frontier.iter().copied().chain(dominated) {
        label(&mut scene, &mut placer, p, at(p), &bounds);
    }
    Chart::from_scene("frontier", title, &scene)
}

/// Expected NPV up, the other measure across, each with a margin around the points so that
/// labels at the edges have room; returns the plot and its scales.
fn axes(
    scene: &mut Scene,
    points: &[&FrontierPoint],
    plot_top: f64,
    x_title: &str,
    currency: &str,
) -> (Plot, Scale, Scale) {
    let (x_lo, x_hi, y_lo, y_hi) = points.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), p| (a.min(p.x), b.max(p.x), c.min(p.npv_mean), d.max(p.npv_mean)),
    );
    // Each axis spans at least SAMPLING_SPANS standard errors of its estimates, so that
    // points apart by less than the sampling error sit visibly close together.
    let x_error = points.iter().map(|p| p.x_error).fold(0.0, f64::max);
    let y_error = points.iter().map(|p| p.npv_error).fold(0.0, f64::max);
    let pad = |lo: f64, hi: f64, share: f64, error: f64| {
        let least = SAMPLING_SPANS * error;
        let (lo, hi) = if hi - lo < least {
            let mid = (lo + hi) / 2.0;
            (mid - least / 2.0, mid + least / 2.0)
        } else {
            (lo, hi)
        };
        let span = (hi - lo).abs().max(hi.abs().max(lo.abs()) * 0.05).max(1.0);
        (lo - span * share, hi + span * share)
    };
    let (x_lo, x_hi) = pad(x_lo, x_hi, 0.08, x_error);
    let (y_lo, y_hi) = pad(y_lo, y_hi, 0.1, y_error);
    let y_ticks = Ticks::new(y_lo, y_hi, 6);
    let y_format = y_ticks.format();
    let y_label = |v: f64| y_format.format(v);
    let plot =
        layout::plot_right_of_ticks(scene, &y_ticks, &y_label, plot_top, layout::right_edge());
    let x_ticks = Ticks::new(
        x_lo,
        x_hi,
        layout::tick_budget(plot.right - plot.left, 50.0),
    );
    let xs = Scale::new(x_ticks.lo, x_ticks.hi, plot.left, plot.right);
    let ys = Scale::new(y_ticks.lo, y_ticks.hi, plot.bottom, plot.top);
    layout::y_axis(
        scene,
        &plot,
        &ys,
        &y_ticks,
        &format!("Expected NPV ({currency})"),
    );
    layout::x_axis(scene, &plot, &xs, &x_ticks, x_title);
    (plot, xs, ys)
}

/// A plan's features and setting at the first free spot around its point at `(x, y)`, or its
/// features alone, or nothing; a label pushed away gets a leader line back to its point.
fn label(
    scene: &mut Scene,
    placer: &mut Placer,
    p: &FrontierPoint,
    (x, y): (f64, f64),
    bounds: &Area,
) {
    let colour = if p.dominated {
        style::MUTED
    } else {
        style::INK
    };
    let font = Font::new(style::NOTE, colour);
    let plural = if p.features == 1 { "" } else { "s" };
    let long = if p.label.is_empty() {
        format!("{} feature{plural}", p.features)
    } else {
        format!("{} feature{plural} · {}", p.features, p.label)
    };
    let short = format!("{} feature{plural}", p.features);
    let candidates: Vec<(f64, f64, Align, Baseline)> = [12.0, 26.0, 44.0]
        .iter()
        .flat_map(|&d| {
            [
                (x + d, y, Align::Start, Baseline::Middle),
                (x - d, y, Align::End, Baseline::Middle),
                (x, y - d, Align::Middle, Baseline::Bottom),
                (x, y + d, Align::Middle, Baseline::Top),
                (x + d * 0.7, y - d * 0.7, Align::Start, Baseline::Bottom),
                (x + d * 0.7, y + d * 0.7, Align::Start, Baseline::Top),
                (x - d * 0.7, y - d * 0.7, Align::End, Baseline::Bottom),
                (x - d * 0.7, y + d * 0.7, Align::End, Baseline::Top),
            ]
        })
        .collect();
    for text in [long, short] {
        if let Some((lx, ly, align, baseline)) = placer.place(&text, font, &candidates, bounds) {
            let (dx, dy) = (lx - x, ly - y);
            let distance = (dx * dx + dy * dy).sqrt();
            if distance > 20.0 {
                let (ux, uy) = (dx / distance, dy / distance);
                let from = (x + ux * (RADIUS + 2.0), y + uy * (RADIUS + 2.0));
                let to = (lx - ux * 3.0, ly - uy * 3.0);
                scene.segment(from, to, style::REFERENCE, 1.0);
                // Later labels keep off the leader too.
                placer.take_line(from, to, (distance / 6.0).ceil() as usize, 1.5);
            }
            scene.text(text, lx, ly, font, align, baseline);
            break;
        }
    }
}

fn whole_percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The chart of a computed frontier: distinct plans only (a plan repeated at several settings
/// is one point, labelled with the range of settings), at the optimizer's own E[NPV] and CVaR,
/// or at the budget.
pub fn from_frontier(f: &crate::analysis::frontier::Frontier) -> Result<Chart, ChartError> {
    use crate::analysis::frontier::Axis;
    let mut points: Vec<FrontierPoint> = Vec::new();
    let mut first_setting: Vec<String> = Vec::new();
    for p in f.points.iter().filter(|p| p.error.is_none()) {
        let setting = match f.axis {
            Axis::Cvar => format!(
                "λ={}",
                p.lambda.map_or(String::new(), |l| format!("{l:.2}"))
            ),
            Axis::Budget => super::super::format::money(p.budget.unwrap_or(0.0), &f.currency),
        };
        if let Some(j) = p.same_plan_as {
            // The earlier point with this plan carries both settings.
            let first = f.points[..j]
                .iter()
                .filter(|q| q.error.is_none() && q.same_plan_as.is_none())
                .count();
            if let (Some(point), Some(start)) = (points.get_mut(first), first_setting.get(first)) {
                point.label = format!("{start}–{}", setting.trim_start_matches("λ="));
            }
            continue;
        }
        first_setting.push(setting.clone());
        // Simulated on futures the optimizer never saw when there is a simulation; its own
        // sampled futures otherwise.
        let (x, npv_mean, x_error, npv_error) = match (&p.simulated, f.axis) {
            (Some(s), Axis::Cvar) => (s.cvar, s.mean, s.cvar_std_error, s.std_error),
            (Some(s), Axis::Budget) => (p.budget.unwrap_or(f64::NAN), s.mean, 0.0, s.std_error),
            (None, Axis::Cvar) => (p.cvar.unwrap_or(f64::NAN), p.expected, 0.0, 0.0),
            (None, Axis::Budget) => (p.budget.unwrap_or(f64::NAN), p.expected, 0.0, 0.0),
        };
        points.push(FrontierPoint {
            x,
            npv_mean,
            features: p.features,
            label: setting,
            dominated: p.dominated,
            x_error,
            npv_error,
        });
    }
    let axis = match f.axis {
        Axis::Cvar => FrontierAxis::Cvar { alpha: f.alpha },
        Axis::Budget => FrontierAxis::Budget,
    };
    render(&points, axis, &f.currency)
}
