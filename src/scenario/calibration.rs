//! A scenario's [calibration] table: per team, the bias and widening fitted by
//! `roadmap calibrate` from how past estimates turned out, applied to every effort estimate of
//! that team as it is read (TOML and backlog CSV alike; the remaining work of a feature in
//! progress is an estimate too, and is corrected the same way):
//!
//! - three-point [l, m, h] (PERT or triangular) -> [b·m·(l/m)^w, b·m, b·m·(h/m)^w]
//! - a single number -> b times it
//! - lognormal: median times b, log-sd times w
//! - any other shape: every value scaled by b (its spread is not widened)
//!
//! The table is written in full by each run, so calibrating again replaces it and never
//! compounds: the estimates in the file stay as the teams wrote them.

use super::draft::DraftScenario;
use super::finding::{Finding, Findings, Location};
use super::reader::{Node, Reader};
use crate::analysis::calibrate::Calibration;
use crate::model::dist::fmt_num;
use crate::model::{Calibrated, Dist, Input};

/// One team's correction.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamCorrection {
    pub team: String,
    pub bias: f64,
    pub widening: f64,
    pub items: u64,
}

/// The [calibration] table as read from a scenario.
#[derive(Debug, Clone, Default)]
pub struct DraftCalibration {
    pub source: Option<String>,
    pub teams: Vec<(TeamCorrection, Location)>,
}

/// Reads `[calibration]`: `source = "history.csv"` and `[calibration.teams.<id>]` tables.
pub fn read(reader: &mut Reader, node: &Node) -> Option<DraftCalibration> {
    let t = reader.table(
        node,
        "calibration",
        "[calibration.teams.web] with bias = 1.3, widening = 1.4",
    )?;
    reader.check_keys(t, "calibration", &["source", "teams"]);
    let mut draft = DraftCalibration {
        source: reader.optional(t, "calibration", "source", |r, n, p| {
            r.string(n, p, "\"history.csv\"")
        }),
        ..DraftCalibration::default()
    };
    let Some(teams) = t.get("teams") else {
        return Some(draft);
    };
    let teams = reader.table(teams, "calibration.teams", "[calibration.teams.web]")?;
    for (key, value) in teams.iter() {
        let id = key.get_ref().to_string();
        let path = format!("calibration.teams.{id}");
        let location = reader.source.location(key.span().start);
        let Some(team) = reader.table(value, &path, "bias = 1.3, widening = 1.4") else {
            continue;
        };
        reader.check_keys(team, &path, &["bias", "widening", "items"]);
        let mut positive = |key: &str, default: Option<f64>| {
            let read = reader.optional(team, &path, key, |r, n, p| {
                let v = r.number(n, p, "1.3")?;
                if v <= 0.0 {
                    r.error(
                        n,
                        p,
                        format!("must be positive, got {}", fmt_num(v)),
                        "a factor above 0: 1 leaves the estimates as written",
                    );
                    return None;
                }
                Some(v)
            });
            read.or(default)
        };
        let bias = positive("bias", None);
        let widening = positive("widening", Some(1.0));
        let items = reader
            .optional(team, &path, "items", |r, n, p| {
                r.positive_integer(n, p, "42")
            })
            .unwrap_or(0);
        match (bias, widening) {
            (Some(bias), Some(widening)) => draft.teams.push((
                TeamCorrection {
                    team: id,
                    bias,
                    widening,
                    items,
                },
                location,
            )),
            (None, _) if team.get("bias").is_none() => {
                reader
                    .findings
                    .push(Finding::error(location, &path, "missing `bias`").help(
                        "write bias = 1.3 (actual over estimated effort, from roadmap calibrate)",
                    ))
            }
            _ => {}
        }
    }
    Some(draft)
}

/// Corrects every effort estimate of each calibrated team; returns what was applied, for the
/// reports to say.
pub fn apply(
    calibration: &DraftCalibration,
    draft: &DraftScenario,
    inputs: &mut [Input],
    findings: &mut Findings,
) -> Option<Calibrated> {
    let mut applied = Vec::new();
    for (c, location) in &calibration.teams {
        if !draft.teams.iter().any(|t| t.def.id == c.team) {
            let known: Vec<&str> = draft.teams.iter().map(|t| t.def.id.as_str()).collect();
            findings.push(
                Finding::error(
                    location.clone(),
                    format!("calibration.teams.{}", c.team),
                    format!("unknown team `{}`", c.team),
                )
                .help(format!(
                    "calibrate teams the scenario has ({}), or remove this table",
                    known.join(", ")
                )),
            );
            continue;
        }
        for feature in &draft.features {
            // What a team says is left of work under way is its estimate too.
            let remaining = feature.remaining.iter().flatten();
            for (r, input) in feature.effort.iter().chain(remaining) {
                if r.id == c.team {
                    let dist = &mut inputs[input.0 as usize].dist;
                    *dist = corrected(dist, c.bias, c.widening);
                }
            }
        }
        applied.push(c);
    }
    if applied.is_empty() {
        return None;
    }
    Some(Calibrated {
        source: calibration.source.clone(),
        items: applied.iter().map(|c| c.items).sum(),
        teams: applied.iter().map(|c| c.team.clone()).collect(),
    })
}

/// An effort estimate with a team's bias b and widening w applied.
pub fn corrected(dist: &Dist, b: f64, w: f64) -> Dist {
    let three = |low: f64, likely: f64, high: f64| {
        if likely > 0.0 {
            crate::analysis::calibrate::corrected(low, likely, high, b, w)
        } else {
            [low * b, likely * b, high * b]
        }
    };
    match dist {
        Dist::Pert { low, likely, high } => {
            let [low, likely, high] = three(*low, *likely, *high);
            Dist::Pert { low, likely, high }
        }
        Dist::Triangular { low, likely, high } => {
            let [low, likely, high] = three(*low, *likely, *high);
            Dist::Triangular { low, likely, high }
        }
        Dist::LogNormal { mu, sigma } => Dist::LogNormal {
            mu: mu + b.ln(),
            sigma: sigma * w,
        },
        // A single number and the shapes without a likely value are scaled, not widened.
        other => other.scaled(b),
    }
}

/// The teams a calibration fitted, rounded as they will be written.
pub fn fitted(result: &Calibration) -> Vec<TeamCorrection> {
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    result
        .teams
        .iter()
        .filter_map(|g| {
            Some(TeamCorrection {
                team: g.name.clone(),
                bias: round(g.bias?),
                widening: round(g.widening?),
                items: g.items as u64,
            })
        })
        .collect()
}

/// The scenario text with its [calibration] table added or replaced; everything else stays
/// byte for byte as it was, comments included.
pub fn write_table(text: &str, source: &str, teams: &[TeamCorrection]) -> Result<String, String> {
    use toml_edit::{value, DocumentMut, Item, Table};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("this is not valid TOML: {}", e.message()))?;
    let mut calibration = Table::new();
    calibration.decor_mut().set_prefix(format!(
        "\n# Estimates corrected from {source} by `roadmap calibrate` (scenarios/README.md, \"Calibration\").\n# Running it again replaces this table; the estimates above stay as written.\n"
    ));
    calibration.insert("source", value(source));
    let mut by_team = Table::new();
    by_team.set_implicit(true);
    for t in teams {
        let mut entry = Table::new();
        entry.insert("bias", value(t.bias));
        entry.insert("widening", value(t.widening));
        entry.insert("items", value(t.items as i64));
        by_team.insert(&t.team, Item::Table(entry));
    }
    calibration.insert("teams", Item::Table(by_team));
    doc.remove("calibration");
    doc.insert("calibration", Item::Table(calibration));
    let mut out = doc.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
