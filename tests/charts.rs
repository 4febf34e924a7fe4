//! The charts, drawn from real results of every example scenario (HiGHS plans, simulated
//! futures, a strategy tournament) and from hand-built frontier and tornado inputs. Each
//! chart's SVG is parsed back: its structure (texts, and shapes counted by colour) is
//! snapshotted, and properties a reader relies on are checked on every chart: no two labels
//! overlap, no label leaves the canvas, no NaN is printed, the PNG decodes to the SVG's size
//! and is not blank, and the same inputs draw the same bytes.
//!
//! `CHARTS_LOOK_DIR=/some/dir cargo test --release --test charts` also writes every chart's
//! PNG and SVG there, one folder per scenario, for looking at.

mod common;

use common::load::model_file;
use roadmap::analysis::strategies::{self, Strategy, Tournament, TournamentOptions};
use roadmap::model::Model;
use roadmap::optimize::{self, OptimizeOptions, Outcome};
use roadmap::report::charts::scene::Font;
use roadmap::report::charts::{
    self, capacity, frontier, npv, on_time, roadmap as gantt, strategies as strategy_chart,
    tornado, value_fan, Chart, FanSeries, FrontierAxis, FrontierPoint, NpvSeries, TornadoBar,
    TornadoChart,
};
use roadmap::simulate::{Quiet, RawChunk, Schedule, SimResult};
use roadmap::strategy::Rule;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

const SCENARIOS: [&str; 4] = [
    "saas-annual-plan",
    "mobile-launch",
    "hardware-device",
    "backlog-plan",
];
const TRIALS: u64 = 2_000;
const SEED: u64 = 7;

struct Case {
    name: &'static str,
    model: Model,
    outcome: Outcome,
    sim: SimResult,
    npv: Vec<f64>,
    tournament: Tournament,
}

/// Simulates `plan` on `model`, keeping each trial's NPV (column 0 of the raw rows).
fn simulate(model: &Model, schedule: &Schedule) -> (SimResult, Vec<f64>) {
    let mut npv = vec![f64::NAN; TRIALS as usize];
    let mut sink = |chunk: &RawChunk| {
        for (i, row) in chunk.rows.chunks(chunk.stride).enumerate() {
            npv[chunk.first_trial as usize + i] = row[0];
        }
        Ok(())
    };
    let sim = common::solve::simulate_raw(model, schedule, SEED, TRIALS, None, Some(&mut sink));
    (sim, npv)
}

fn case_for(name: &'static str, model: Model) -> Case {
    let outcome = optimize::optimize(&model, &OptimizeOptions::default()).unwrap();
    let (sim, npv) = simulate(&model, &Schedule::Plan(outcome.plan.clone()));
    let tournament = strategies::run(
        &model,
        &TournamentOptions {
            strategies: vec![
                Strategy::Optimal,
                Strategy::Rule(Rule::Wsjf),
                Strategy::Rule(Rule::Rice),
                Strategy::Rule(Rule::ShortestJobFirst),
                Strategy::Rule(Rule::Random),
            ],
            trials: 500,
            seed: SEED,
            threads: None,
            optimize: OptimizeOptions::default(),
            recommended: None,
        },
        &Quiet,
    )
    .unwrap();
    Case {
        name,
        model,
        outcome,
        sim,
        npv,
        tournament,
    }
}

impl Case {
    /// The roadmap chart of the optimized plan, with no commitments marked (every bar solid).
    fn roadmap(&self) -> Chart {
        gantt::render(
            &self.model,
            &self.outcome.features,
            &self.outcome.deals,
            None,
            &self.sim,
        )
        .unwrap()
    }
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        SCENARIOS
            .iter()
            .map(|&name| case_for(name, model_file(&format!("scenarios/{name}.toml"))))
            .collect()
    })
}

fn all_charts(case: &Case) -> Vec<Chart> {
    let currency = case.model.currency.as_str();
    let start = &case.model.time.labels[0];
    vec![
        case.roadmap(),
        npv::render(
            &[NpvSeries {
                label: "plan",
                npv: &case.npv,
                summary: &case.sim.npv,
            }],
            currency,
        )
        .unwrap(),
        value_fan::render(
            &[FanSeries {
                label: "plan",
                bands: &case.sim.value_by_month,
            }],
            currency,
            start,
        )
        .unwrap(),
        capacity::render(&case.sim).unwrap(),
        on_time::render(&case.sim).unwrap(),
        strategy_chart::render(&case.tournament).unwrap(),
    ]
}

// ---------------------------------------------------------------------------------------
// Reading an SVG back.

#[derive(Debug, Clone)]
struct Element {
    tag: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn elements(svg: &str) -> Vec<Element> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("a closed tag");
        let tag_text = &rest[..end];
        rest = &rest[end + 1..];
        if tag_text.starts_with('/') || tag_text.starts_with('?') || tag_text.starts_with('!') {
            continue;
        }
        let tag_text = tag_text.trim_end_matches('/');
        let (tag, mut attr_text) = tag_text.split_once(' ').unwrap_or((tag_text, ""));
        let mut attrs = BTreeMap::new();
        while let Some(eq) = attr_text.find("=\"") {
            let key = attr_text[..eq].trim().to_string();
            let after = &attr_text[eq + 2..];
            let close = after.find('"').expect("a quoted attribute");
            attrs.insert(key, unescape(&after[..close]));
            attr_text = &after[close + 1..];
        }
        let text = if tag == "text" {
            let close = rest.find("</text>").expect("a closed text");
            let t = unescape(rest[..close].trim());
            rest = &rest[close..];
            t
        } else {
            String::new()
        };
        out.push(Element {
            tag: tag.to_string(),
            attrs,
            text,
        });
    }
    out
}

/// What a chart shows, read back from its SVG: its texts in drawing order, and its shapes
/// counted by kind, colour and opacity.
#[derive(Serialize)]
struct Structure {
    width: String,
    height: String,
    texts: Vec<String>,
    shapes: BTreeMap<String, usize>,
}

fn structure(svg: &str) -> Structure {
    let els = elements(svg);
    let svg_el = els.iter().find(|e| e.tag == "svg").expect("an svg element");
    let mut shapes = BTreeMap::new();
    for e in &els {
        let colour = match e.tag.as_str() {
            "rect" | "polygon" | "circle" => {
                let fill = e.attrs.get("fill").cloned().unwrap_or_default();
                if fill == "none" {
                    format!(
                        "stroke {}",
                        e.attrs.get("stroke").cloned().unwrap_or_default()
                    )
                } else {
                    fill
                }
            }
            "polyline" | "line" => e.attrs.get("stroke").cloned().unwrap_or_default(),
            _ => continue,
        };
        let opacity = e.attrs.get("opacity").map(String::as_str).unwrap_or("1");
        let key = if opacity == "1" {
            format!("{} {colour}", e.tag)
        } else {
            format!("{} {colour} @{opacity}", e.tag)
        };
        *shapes.entry(key).or_insert(0) += 1;
    }
    Structure {
        width: svg_el.attrs["width"].clone(),
        height: svg_el.attrs["height"].clone(),
        texts: els
            .iter()
            .filter(|e| e.tag == "text")
            .map(|e| e.text.clone())
            .collect(),
        shapes,
    }
}

/// The box each text covers, recomputed from the SVG's own attributes with the font the
/// charts measure with.
fn text_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
    const EM: f64 = 2048.0 / 2384.0;
    const CAP: f64 = 1493.0 / 2384.0;
    elements(svg)
        .into_iter()
        .filter(|e| e.tag == "text" && !e.text.is_empty())
        .map(|e| {
            let num = |k: &str| e.attrs[k].parse::<f64>().unwrap();
            let size = num("font-size") / EM;
            let bold = e.attrs.get("font-weight").is_some_and(|w| w == "bold");
            let mut font = Font::new(size, charts::style::INK);
            if bold {
                font = font.bold();
            }
            let width = font.width(&e.text);
            let x = num("x");
            let x0 = match e.attrs["text-anchor"].as_str() {
                "start" => x,
                "middle" => x - width / 2.0,
                _ => x - width,
            };
            assert_eq!(e.attrs["dy"], "0.76em", "texts are anchored at their top");
            let baseline = num("y") + 0.76 * size * EM;
            let cap = size * CAP;
            (
                e.text.clone(),
                [x0, baseline - cap, x0 + width, baseline + 0.35 * cap],
            )
        })
        .collect()
}

/// Every property a reader relies on, for one chart.
fn check(chart: &Chart) -> f64 {
    let s = structure(&chart.svg);
    let (w, h): (f64, f64) = (s.width.parse().unwrap(), s.height.parse().unwrap());
    assert!(
        (600.0..=1600.0).contains(&w) && (300.0..=20_000.0).contains(&h),
        "{}: {w}x{h}",
        chart.stem
    );
    for e in elements(&chart.svg) {
        for (key, value) in &e.attrs {
            assert!(
                !value.contains("NaN") && !value.contains("inf"),
                "{}: <{} {key}={value:?}>",
                chart.stem,
                e.tag
            );
        }
        let words: Vec<&str> = e
            .text
            .split(|c: char| !c.is_alphanumeric() && c != '/')
            .collect();
        assert!(
            !words.iter().any(|w| ["NaN", "inf", "n/a"].contains(w)),
            "{}: {:?}",
            chart.stem,
            e.text
        );
    }
    assert!(
        s.texts.iter().any(|t| t == &chart.title),
        "{}: no title in {:?}",
        chart.stem,
        s.texts
    );
    let boxes = text_boxes(&chart.svg);
    for (text, b) in &boxes {
        assert!(
            b[0] >= -0.5 && b[2] <= w + 0.5 && b[1] >= -0.5 && b[3] <= h + 0.5,
            "{}: {text:?} leaves the canvas: {b:?}",
            chart.stem
        );
    }
    for (i, (ta, a)) in boxes.iter().enumerate() {
        for (tb, b) in &boxes[i + 1..] {
            // One pixel of slack for rounding to whole pixels.
            let overlap =
                a[0] + 1.0 < b[2] && b[0] + 1.0 < a[2] && a[1] + 1.0 < b[3] && b[1] + 1.0 < a[3];
            assert!(
                !overlap,
                "{}: {ta:?} {a:?} overlaps {tb:?} {b:?}",
                chart.stem
            );
        }
    }
    let decoder = png::Decoder::new(std::io::Cursor::new(&chart.png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        (info.width as f64, info.height as f64),
        (w, h),
        "{}",
        chart.stem
    );
    let inked = pixels[..info.buffer_size()]
        .chunks(3)
        .filter(|p| p.iter().any(|&c| c < 200))
        .count();
    let share = inked as f64 / (info.width * info.height) as f64;
    // Even a chart that only says there is nothing to show has a title, a frame and a note.
    assert!(
        share > 0.004,
        "{}: only {share} of the PNG is drawn",
        chart.stem
    );
    share
}

fn look(folder: &str, chart: &Chart) {
    let Ok(dir) = std::env::var("CHARTS_LOOK_DIR") else {
        return;
    };
    let dir = Path::new(&dir).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    roadmap::report::write::write_atomic(&dir.join(format!("{}.png", chart.stem)), &chart.png)
        .unwrap();
    roadmap::report::write::write_atomic(
        &dir.join(format!("{}.svg", chart.stem)),
        chart.svg.as_bytes(),
    )
    .unwrap();
}

// ---------------------------------------------------------------------------------------

#[test]
fn every_chart_of_every_example_scenario_reads_well() {
    for case in cases() {
        let charts = all_charts(case);
        let stems: Vec<&str> = charts.iter().map(|c| c.stem).collect();
        assert_eq!(
            stems,
            [
                "roadmap",
                "npv",
                "value-fan",
                "capacity",
                "on-time",
                "strategies"
            ]
        );
        for chart in &charts {
            look(case.name, chart);
            let inked = check(chart);
            assert!(
                inked > 0.03,
                "{} {}: only {inked} drawn",
                case.name,
                chart.stem
            );
            insta::assert_yaml_snapshot!(
                format!("{}_{}", case.name, chart.stem),
                structure(&chart.svg)
            );
        }
    }
}

#[test]
fn the_same_results_draw_the_same_bytes() {
    let case = &cases()[0];
    for (a, b) in all_charts(case).iter().zip(all_charts(case)) {
        assert_eq!(a.svg, b.svg, "{}", a.stem);
        assert_eq!(a.png, b.png, "{}", a.stem);
    }
}

/// The roadmap shows every planned feature once, in its team's group, and nothing else.
#[test]
fn the_roadmap_has_a_row_per_planned_feature_and_a_marker_per_deal() {
    for case in cases() {
        let chart = case.roadmap();
        let s = structure(&chart.svg);
        let planned = case.outcome.plan.planned().count();
        let bars = s.shapes.get("rect #0072B2 @0.35").copied().unwrap_or(0);
        // A legend swatch plus one bar per planned feature.
        assert_eq!(bars, planned + 1, "{}", case.name);
        let diamonds = s.shapes.get("polygon #CC79A7").copied().unwrap_or(0);
        let shown = case
            .model
            .deals
            .iter()
            .filter(|d| {
                d.features
                    .iter()
                    .any(|&f| case.outcome.plan.periods[f].is_some())
            })
            .count();
        let legend = usize::from(shown > 0);
        assert_eq!(diamonds, shown + legend, "{}", case.name);
    }
}

/// The NPV histogram's bars add up to every trial, and a loss-free run has no loss bars.
#[test]
fn histogram_bars_hold_every_future() {
    let case = &cases()[0];
    let chart = npv::render(
        &[NpvSeries {
            label: "plan",
            npv: &case.npv,
            summary: &case.sim.npv,
        }],
        &case.model.currency,
    )
    .unwrap();
    let s = structure(&chart.svg);
    let bars = s.shapes.get("rect #0072B2 @0.85").copied().unwrap_or(0)
        + s.shapes.get("rect #D55E00 @0.85").copied().unwrap_or(0);
    assert!((15..=45).contains(&bars), "{bars} bars");
    let loss_bars = s.shapes.get("rect #D55E00 @0.85").copied().unwrap_or(0);
    if case.npv.iter().all(|&v| v >= 0.0) {
        assert_eq!(loss_bars, 0);
    }
}

#[test]
fn a_what_if_overlays_two_series_in_the_base_and_other_colours() {
    let case = &cases()[0];
    let mut model = case.model.clone();
    for team in &mut model.teams {
        for c in &mut team.capacity_weeks {
            *c *= 0.8;
        }
    }
    let (what_if, npv) = simulate(&model, &Schedule::Plan(case.outcome.plan.clone()));
    let chart = npv::render(
        &[
            NpvSeries {
                label: "plan",
                npv: &case.npv,
                summary: &case.sim.npv,
            },
            NpvSeries {
                label: "capacity x0.8",
                npv: &npv,
                summary: &what_if.npv,
            },
        ],
        &case.model.currency,
    )
    .unwrap();
    check(&chart);
    look("what-if", &chart);
    insta::assert_yaml_snapshot!("what_if_npv", structure(&chart.svg));
    // Each side's mean is labelled, not the base's alone: in the legend always, with its
    // figure, whether or not the two labels in the plot find room side by side.
    let texts = structure(&chart.svg).texts;
    for (label, summary) in [("plan", &case.sim.npv), ("capacity x0.8", &what_if.npv)] {
        let mean = charts::style::money(summary.mean, &case.model.currency);
        assert!(
            texts.contains(&format!("{label} mean {mean}")),
            "{label} mean {mean} not in {texts:?}"
        );
    }
    // Two means a few pixels apart (the variant barely moves it, and a loss line is near):
    // each is still labelled in the plot, beside the legend's entry.
    let mut close = case.sim.npv.clone();
    close.mean *= 0.995;
    let shifted: Vec<f64> = case.npv.iter().map(|v| v * 0.995).collect();
    let chart = npv::render(
        &[
            NpvSeries {
                label: "base",
                npv: &case.npv,
                summary: &case.sim.npv,
            },
            NpvSeries {
                label: "what-if",
                npv: &shifted,
                summary: &close,
            },
        ],
        &case.model.currency,
    )
    .unwrap();
    check(&chart);
    let texts = structure(&chart.svg).texts;
    for (label, mean) in [("base", case.sim.npv.mean), ("what-if", close.mean)] {
        let text = format!(
            "{label} mean {}",
            charts::style::money(mean, &case.model.currency)
        );
        assert_eq!(
            texts.iter().filter(|t| **t == text).count(),
            2,
            "{text} in {texts:?}"
        );
    }
    let fan = value_fan::render(
        &[
            FanSeries {
                label: "plan",
                bands: &case.sim.value_by_month,
            },
            FanSeries {
                label: "capacity x0.8",
                bands: &what_if.value_by_month,
            },
        ],
        &case.model.currency,
        &case.model.time.labels[0],
    )
    .unwrap();
    check(&fan);
    look("what-if", &fan);
    insta::assert_yaml_snapshot!("what_if_value_fan", structure(&fan.svg));
    let s = structure(&fan.svg);
    // Two bands and a median per series.
    assert_eq!(s.shapes.get("polygon #0072B2 @0.16"), Some(&1));
    assert_eq!(s.shapes.get("polygon #E69F00 @0.12"), Some(&1));
}

/// Names in Chinese, Japanese and Korean draw from the fallback font (the PNG is checked by
/// eye with CHARTS_LOOK_DIR and in the scene's own tests); emoji are left out, and a name of
/// emoji alone gives way to the feature's id. An unnamed scenario's subtitle starts with its
/// figures, not a separator, and counts every team.
#[test]
fn cjk_and_emoji_names_draw_and_an_unnamed_plan_reads() {
    let case = &cases()[1];
    let mut model = case.model.clone();
    model.name = String::new();
    let planned: Vec<usize> = case
        .outcome
        .features
        .iter()
        .filter(|f| f.period.is_some())
        .map(|f| f.feature)
        .collect();
    model.features[planned[0]].name = "決済の刷新 (결제)".into();
    model.features[planned[1]].name = "🚀 ローンチ".into();
    model.features[planned[2]].name = "🏔️🥾".into();
    let emoji_only = model.features[planned[2]].id.clone();
    let mut sim = case.sim.clone();
    for f in &mut sim.features {
        if let Some(i) = model.feature_index(&f.id) {
            f.name = model.features[i].name.clone();
        }
    }
    for chart in [
        gantt::render(
            &model,
            &case.outcome.features,
            &case.outcome.deals,
            None,
            &sim,
        )
        .unwrap(),
        on_time::render(&sim).unwrap(),
    ] {
        check(&chart);
        look("cjk", &chart);
        let texts = structure(&chart.svg).texts;
        assert!(texts.iter().any(|t| t == "決済の刷新 (결제)"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "ローンチ"), "{texts:?}");
        assert!(texts.contains(&emoji_only), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains('🚀')), "{texts:?}");
        if chart.stem == "roadmap" {
            let subtitle = &texts[1];
            assert!(
                subtitle.starts_with(&format!(
                    "{} features planned for {} teams",
                    planned.len(),
                    model.teams.len()
                )),
                "{subtitle}"
            );
        }
    }
}

/// A team the plan gives no work is still a team of the scenario: the subtitle says how many
/// of them have planned work, not a count of the teams that lead a feature.
#[test]
fn the_roadmap_counts_the_teams_without_planned_work() {
    let case = &cases()[1];
    let teams = case.model.teams.len();
    let idle = teams - 1;
    let mut features = case.outcome.features.clone();
    for f in &mut features {
        f.team_weeks.retain(|&(k, _)| k != idle);
    }
    let chart =
        gantt::render(&case.model, &features, &case.outcome.deals, None, &case.sim).unwrap();
    let subtitle = structure(&chart.svg).texts[1].clone();
    assert!(
        subtitle.contains(&format!(
            "; {} of {teams} teams have planned work",
            teams - 1
        )),
        "{subtitle}"
    );
}

fn frontier_points() -> Vec<FrontierPoint> {
    // Six plans from a risk-aversion sweep: two of them beaten on both axes.
    [
        (1.9e6, 4.6e6, 18, "λ=0", false),
        (2.3e6, 4.5e6, 17, "λ=0.25", false),
        (2.6e6, 4.2e6, 15, "λ=0.5", false),
        (2.5e6, 3.9e6, 15, "λ=0.6", true),
        (2.8e6, 3.6e6, 12, "λ=0.75", false),
        (2.7e6, 3.4e6, 13, "λ=0.9", true),
    ]
    .iter()
    .map(|&(x, y, n, label, dominated)| FrontierPoint {
        x,
        npv_mean: y,
        features: n,
        label: label.to_string(),
        dominated,
        x_error: 0.0,
        npv_error: 0.0,
    })
    .collect()
}

#[test]
fn the_frontier_joins_undominated_plans_and_labels_each() {
    let points = frontier_points();
    let chart = frontier::render(&points, FrontierAxis::Cvar { alpha: 0.9 }, "USD").unwrap();
    check(&chart);
    look("hand-built", &chart);
    let s = structure(&chart.svg);
    let frontier = points.iter().filter(|p| !p.dominated).count();
    // One legend dot, then one per undominated plan; rings likewise for dominated ones.
    assert_eq!(s.shapes["circle #0072B2"], frontier + 1);
    assert_eq!(
        s.shapes["circle stroke #8C8C8C"],
        points.len() - frontier + 1
    );
    assert!(s
        .texts
        .iter()
        .any(|t| t == "CVaR 90%: mean NPV of the worst 10% of futures (USD)"));
    for p in &points {
        assert!(
            s.texts
                .iter()
                .any(|t| t.starts_with(&format!("{} features", p.features))),
            "no label for {}",
            p.label
        );
    }
    insta::assert_yaml_snapshot!("frontier_cvar", s);

    let budgets: Vec<FrontierPoint> = (1..=5)
        .map(|k| FrontierPoint {
            x: k as f64 * 5e5,
            npv_mean: 1e6 * (k as f64).sqrt(),
            features: 3 * k,
            label: format!("budget ${}k", k * 500),
            dominated: false,
            x_error: 0.0,
            npv_error: 0.0,
        })
        .collect();
    let chart = frontier::render(&budgets, FrontierAxis::Budget, "USD").unwrap();
    check(&chart);
    look(
        "hand-built",
        &Chart {
            stem: "frontier-budget",
            ..chart.clone()
        },
    );
    insta::assert_yaml_snapshot!("frontier_budget", structure(&chart.svg));
}

/// Two plans a hair apart, each estimated with a standard error far larger than the gap: the
/// axes span at least twenty standard errors, so the pair sits together in the middle of the
/// plot instead of being stretched into a trade-off from corner to corner.
#[test]
fn the_frontier_never_zooms_into_the_sampling_error() {
    let point = |x: f64, y: f64, label: &str| FrontierPoint {
        x,
        npv_mean: y,
        features: 25,
        label: label.to_string(),
        dominated: false,
        x_error: 30_000.0,
        npv_error: 20_000.0,
    };
    let points = vec![
        point(5.070e6, 8.427e6, "λ=0.00"),
        point(5.072e6, 8.428e6, "λ=1.00"),
    ];
    let chart = frontier::render(&points, FrontierAxis::Cvar { alpha: 0.9 }, "USD").unwrap();
    check(&chart);
    let s = structure(&chart.svg);
    let ticks: Vec<f64> = s
        .texts
        .iter()
        .filter_map(|t| t.strip_suffix('M').and_then(|n| n.parse::<f64>().ok()))
        .collect();
    let (x, y): (Vec<f64>, Vec<f64>) = ticks.iter().partition(|&&v| v < 6.5);
    let span = |v: &[f64]| {
        v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - v.iter().copied().fold(f64::INFINITY, f64::min)
    };
    assert!(span(&x) >= 20.0 * 0.03 * 0.9, "x ticks {x:?}");
    assert!(span(&y) >= 20.0 * 0.02 * 0.9, "y ticks {y:?}");
}

/// Twenty plans packed close together: some labels must give way, none may overlap (check
/// asserts it), and every point is still drawn.
#[test]
fn a_crowded_frontier_never_overlaps_its_labels() {
    let points: Vec<FrontierPoint> = (0..20)
        .map(|k| {
            let t = k as f64 / 19.0;
            FrontierPoint {
                x: 2.0e6 + 1.0e6 * t + if k % 3 == 0 { 2.0e4 } else { 0.0 },
                npv_mean: 4.6e6 - 1.2e6 * t * t - if k % 4 == 0 { 3.0e5 } else { 0.0 },
                features: 20 - k / 2,
                label: format!("λ={:.2}", t),
                dominated: k % 4 == 0 && k > 0,
                x_error: 0.0,
                npv_error: 0.0,
            }
        })
        .collect();
    let chart = frontier::render(&points, FrontierAxis::Cvar { alpha: 0.95 }, "EUR").unwrap();
    check(&chart);
    look(
        "hand-built",
        &Chart {
            stem: "frontier-crowded",
            ..chart.clone()
        },
    );
    let s = structure(&chart.svg);
    let dots = s.shapes["circle #0072B2"] + s.shapes["circle stroke #8C8C8C"];
    assert_eq!(dots, points.len() + 2);
    let labels = s.texts.iter().filter(|t| t.contains(" feature")).count();
    assert!(labels >= 10, "only {labels} of 20 points labelled");
}

fn tornado_bars() -> Vec<TornadoBar> {
    vec![
        TornadoBar {
            input: "segments[smb].demand".to_string(),
            low_npv: 3.1e6,
            high_npv: 5.9e6,
            low_value: 1200.0,
            high_value: 2600.0,
            value_words: None,
        },
        TornadoBar {
            input: "teams[platform].capacity_factor".to_string(),
            low_npv: 3.9e6,
            high_npv: 4.7e6,
            low_value: 0.74,
            high_value: 0.93,
            value_words: None,
        },
        TornadoBar {
            input: "features[sso-saml].effort.web: a very long input name that must be cut"
                .to_string(),
            low_npv: 4.8e6,
            high_npv: 4.0e6,
            low_value: 11.0,
            high_value: 17.5,
            value_words: None,
        },
        TornadoBar {
            // Both ends below the base: a non-monotone input.
            input: "segments[enterprise].price".to_string(),
            low_npv: 4.2e6,
            high_npv: 3.8e6,
            low_value: 38_000.0,
            high_value: 52_000.0,
            value_words: None,
        },
    ]
}

#[test]
fn the_tornado_puts_the_widest_swing_on_top() {
    let bars = tornado_bars();
    let chart = tornado::render(&TornadoChart {
        base_npv: 4.4e6,
        bars: &bars,
        currency: "USD",
        subtitle: "plan held fixed".to_string(),
    })
    .unwrap();
    check(&chart);
    look("hand-built", &chart);
    let s = structure(&chart.svg);
    let order: Vec<usize> = [
        "segments[smb]",
        "teams[platform]",
        "features[sso",
        "segments[enterprise]",
    ]
    .iter()
    .map(|name| s.texts.iter().position(|t| t.starts_with(name)).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{:?}", s.texts);
    assert!(
        s.texts.iter().any(|t| t.ends_with('…')),
        "long names are cut"
    );
    for value in ["1,200", "2,600", "0.74", "0.93", "38k", "52k"] {
        assert!(
            s.texts.iter().any(|t| t == value),
            "{value} missing: {:?}",
            s.texts
        );
    }
    insta::assert_yaml_snapshot!("tornado", s);
}

// ---------------------------------------------------------------------------------------
// Edges: nothing planned, one feature, no deals, outcomes that do not vary.

fn render_everything(name: &str, model: &Model, outcome: &Outcome, sim: &SimResult, npv: &[f64]) {
    let currency = model.currency.as_str();
    let charts = vec![
        gantt::render(model, &outcome.features, &outcome.deals, None, sim).unwrap(),
        npv::render(
            &[NpvSeries {
                label: "plan",
                npv,
                summary: &sim.npv,
            }],
            currency,
        )
        .unwrap(),
        value_fan::render(
            &[FanSeries {
                label: "plan",
                bands: &sim.value_by_month,
            }],
            currency,
            &model.time.labels[0],
        )
        .unwrap(),
        capacity::render(sim).unwrap(),
        on_time::render(sim).unwrap(),
    ];
    for chart in &charts {
        look(name, chart);
        check(chart);
    }
}

#[test]
fn an_empty_plan_says_so() {
    let case = &cases()[0];
    let mut outcome = case.outcome.clone();
    outcome.plan.periods.iter_mut().for_each(|p| *p = None);
    outcome.features.iter_mut().for_each(|f| f.period = None);
    let (sim, npv) = simulate(&case.model, &Schedule::Plan(outcome.plan.clone()));
    render_everything("empty-plan", &case.model, &outcome, &sim, &npv);
    let chart = gantt::render(&case.model, &outcome.features, &outcome.deals, None, &sim).unwrap();
    let s = structure(&chart.svg);
    assert!(s.texts.iter().any(|t| t.starts_with("No features planned")));
}

#[test]
fn a_one_feature_plan_draws_one_row() {
    let case = &cases()[1];
    let mut outcome = case.outcome.clone();
    let first = outcome.plan.planned().next().unwrap().0;
    for (f, p) in outcome.plan.periods.iter_mut().enumerate() {
        if f != first {
            *p = None;
        }
    }
    for f in &mut outcome.features {
        if f.feature != first {
            f.period = None;
        }
    }
    let (sim, npv) = simulate(&case.model, &Schedule::Plan(outcome.plan.clone()));
    render_everything("one-feature", &case.model, &outcome, &sim, &npv);
    let chart = gantt::render(&case.model, &outcome.features, &outcome.deals, None, &sim).unwrap();
    assert_eq!(structure(&chart.svg).shapes["rect #0072B2 @0.35"], 2);
}

#[test]
fn a_deal_free_scenario_has_no_deal_marks() {
    let mut model = cases()[0].model.clone();
    model.deals.clear();
    let case = case_for("deal-free", model);
    render_everything(
        "deal-free",
        &case.model,
        &case.outcome,
        &case.sim,
        &case.npv,
    );
    let chart = case.roadmap();
    let s = structure(&chart.svg);
    assert!(!s.shapes.contains_key("polygon #CC79A7"));
    assert!(!s.texts.iter().any(|t| t == "Deal" || t == "Deal date"));
}

#[test]
fn outcomes_that_do_not_vary_still_draw() {
    let case = &cases()[0];
    let mut summary = case.sim.npv.clone();
    for v in [
        &mut summary.mean,
        &mut summary.p5,
        &mut summary.p10,
        &mut summary.p50,
        &mut summary.p90,
        &mut summary.p95,
        &mut summary.min,
        &mut summary.max,
    ] {
        *v = 1.5e6;
    }
    summary.p_negative = 0.0;
    let flat = vec![1.5e6; 500];
    let chart = npv::render(
        &[NpvSeries {
            label: "plan",
            npv: &flat,
            summary: &summary,
        }],
        "EUR",
    )
    .unwrap();
    check(&chart);
    look("flat", &chart);
    let s = structure(&chart.svg);
    // Every future in one bar, which reaches 100%.
    assert_eq!(s.shapes["rect #0072B2 @0.85"], 2);
    assert!(s.texts.iter().any(|t| t == "mean €1.5M"), "{:?}", s.texts);

    let mut bands = case.sim.value_by_month.clone();
    for b in &mut bands {
        (b.mean, b.p10, b.p25, b.p50, b.p75, b.p90) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    }
    let fan = value_fan::render(
        &[FanSeries {
            label: "plan",
            bands: &bands,
        }],
        "EUR",
        "2027Q1",
    )
    .unwrap();
    check(&fan);
    look("flat", &fan);

    let tornado = tornado::render(&TornadoChart {
        base_npv: 1.0e6,
        bars: &[TornadoBar {
            input: "a constant".to_string(),
            low_npv: 1.0e6,
            high_npv: 1.0e6,
            low_value: 3.0,
            high_value: 3.0,
            value_words: None,
        }],
        currency: "EUR",
        subtitle: String::new(),
    })
    .unwrap();
    check(&tornado);
    look("flat", &tornado);

    for chart in [
        npv::render(&[], "USD").unwrap(),
        value_fan::render(&[], "USD", "2027Q1").unwrap(),
        frontier::render(&[], FrontierAxis::Budget, "USD").unwrap(),
        tornado::render(&TornadoChart {
            base_npv: 0.0,
            bars: &[],
            currency: "USD",
            subtitle: String::new(),
        })
        .unwrap(),
    ] {
        check(&chart);
    }
}

/// A recommended plan's stretch goals are open bars, its commitments filled ones, and the
/// legend says which is which; a plan without marks keeps the plain legend.
#[test]
fn the_roadmap_tells_commitments_from_stretch_goals() {
    use roadmap::analysis::recommend::Mark as Commitment;
    let case = &cases()[0];
    let marks: Vec<Option<Commitment>> = case
        .outcome
        .plan
        .periods
        .iter()
        .enumerate()
        .map(|(f, p)| {
            p.map(|_| {
                if f % 3 == 0 {
                    Commitment::Stretch
                } else {
                    Commitment::Commit
                }
            })
        })
        .collect();
    let chart = gantt::render(
        &case.model,
        &case.outcome.features,
        &case.outcome.deals,
        Some(&marks),
        &case.sim,
    )
    .unwrap();
    check(&chart);
    look(
        "flagship",
        &Chart {
            stem: "roadmap-commitments",
            ..chart.clone()
        },
    );
    let s = structure(&chart.svg);
    assert!(s.texts.iter().any(|t| t == "Commitment: planned period"));
    assert!(s
        .texts
        .iter()
        .any(|t| t == "Stretch goal: planned, less sure"));
    let stretch = marks
        .iter()
        .filter(|m| **m == Some(Commitment::Stretch))
        .count();
    let open_bars: usize = s
        .shapes
        .iter()
        .filter(|(k, _)| k.ends_with("@0.08"))
        .map(|(_, n)| *n)
        .sum();
    // One per stretch goal, and the legend's swatch.
    assert_eq!(open_bars, stretch + 1, "{:?}", s.shapes);
    let plain = case.roadmap();
    let s = structure(&plain.svg);
    assert!(s.texts.iter().any(|t| t == "Planned delivery period"));
    assert!(!s.texts.iter().any(|t| t.starts_with("Stretch goal")));
}
