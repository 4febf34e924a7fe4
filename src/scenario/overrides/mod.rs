//! What-if overrides of a validated scenario, written on the command line in the field names
//! scenario files use: `teams.web.capacity*=0.8`, `features.sso.deadline=2027Q3`,
//! `segments.smb.demand*=0.5`, `plan.budget=none`.
//!
//! Overrides change a copy of the [`Model`]. An uncertain input keeps its name, so the
//! simulator draws it from the same random stream as before (common random numbers): a scaled
//! input moves quantile for quantile with the original, and every input not overridden draws
//! exactly what it drew in the base scenario.
//!
//! Problems are [`Finding`]s located at the `--set` argument, collected for every argument
//! before failing, as validation does for a file.

mod costs;
mod features;
mod market;
mod path;
mod progress;
mod staffing;
mod teams;
mod values;

use costs::*;
use features::*;
use market::*;
use path::*;
use progress::*;
use staffing::*;
use teams::*;
use values::*;

use super::finding::{did_you_mean, Finding, Location};
use super::reader::{domain_problem, Domain};
use super::resolve::Reads;
use crate::model::calendar::{Date, DateText, Placed};
use crate::model::dist::fmt_num;
use crate::model::{Deadline, DeadlineKind, Dist, Effort, Input, InputId, Model, Uplift};
use serde::Serialize;

/// How an override combines its value with the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `PATH=VALUE`
    Set,
    /// `PATH*=FACTOR`
    Multiply,
    /// `PATH+=AMOUNT`
    Add,
    /// `PATH-=AMOUNT`
    Subtract,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Set => "=",
            Op::Multiply => "*=",
            Op::Add => "+=",
            Op::Subtract => "-=",
        }
    }
}

/// One override as applied: what the user wrote and what it changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// The argument as written, e.g. `teams.web.capacity*=0.8`.
    pub argument: String,
    /// The field as validation names it, e.g. `teams[web].capacity`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields `--set` can change, per section, as help lists them.
const TEAM_FIELDS: [&str; 5] = [
    "capacity",
    "capacity.<period>",
    "capacity_factor",
    "cost_per_week",
    "cost_kind",
];
const FEATURE_FIELDS: [&str; 20] = [
    "status",
    "effort",
    "effort.<team>",
    "remaining",
    "remaining.<team>",
    "value",
    "uplift",
    "uplift.<segment>",
    "cost",
    "vendor_lead_weeks",
    "vendor_ready",
    "ramp_months",
    "deadline",
    "deadline.limit",
    "mandatory",
    "earliest",
    "recurring_cost.per_month",
    "recurring_cost.per_customer",
    "recurring_cost.segment",
    "recurring_cost.from",
];
const SEGMENT_FIELDS: [&str; 5] = ["demand", "new_customers", "retention", "growth", "price"];
const DEAL_FIELDS: [&str; 6] = [
    "one_off",
    "monthly",
    "by",
    "need",
    "late_penalty",
    "expires",
];
const RISK_FIELDS: [&str; 1] = ["probability"];
const EXTRA_FIELDS: [&str; 5] = [
    "people",
    "cost_per_week",
    "capacity_per_person",
    "lead_weeks",
    "ramp_weeks",
];
const PLAN_FIELDS: [&str; 3] = ["budget", "budget_per_period", "budget_per_period.<period>"];
const POOL_FIELDS: [&str; 3] = ["people", "cost_per_week", "capacity_per_person"];
const SECTIONS: [&str; 8] = [
    "teams",
    "extra_capacity",
    "pools",
    "features",
    "segments",
    "deals",
    "risks",
    "plan",
];

/// A problem with one argument: what is wrong and how to fix it, at a field.
struct Problem {
    field: String,
    message: String,
    help: String,
}

fn problem(
    field: impl Into<String>,
    message: impl Into<String>,
    help: impl Into<String>,
) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
        help: help.into(),
    }
}

/// Where a finding about an argument points: the argument itself.
pub fn argument_location(argument: &str) -> Location {
    Location {
        file: format!("--set {argument}"),
        line: 0,
        column: 0,
    }
}

/// Applies every override in order to a copy of `model`. Each argument is checked on its own,
/// so one run reports every malformed or impossible override; the model is returned only when
/// all of them apply.
pub fn apply(model: &Model, arguments: &[String]) -> Result<(Model, Vec<Applied>), Vec<Finding>> {
    let mut variant = model.clone();
    let mut applied = Vec::new();
    let mut findings = Vec::new();
    for argument in arguments {
        match apply_one(&mut variant, argument) {
            Ok(a) => applied.push(a),
            Err(p) => findings
                .push(Finding::error(argument_location(argument), p.field, p.message).help(p.help)),
        }
    }
    if findings.is_empty() {
        Ok((variant, applied))
    } else {
        Err(findings)
    }
}

/// `PATH<op>VALUE`, split.
fn split(argument: &str) -> Result<(&str, Op, &str), Problem> {
    let malformed = |message: String| {
        problem(
            "",
            message,
            "write PATH=VALUE, PATH*=FACTOR, PATH+=AMOUNT or PATH-=AMOUNT, e.g. --set teams.web.capacity*=0.8",
        )
    };
    let Some(eq) = argument.find('=') else {
        return Err(malformed("no `=` in the override".into()));
    };
    let (head, value) = (&argument[..eq], argument[eq + 1..].trim());
    let (path, op) = match head.chars().last() {
        Some('*') => (&head[..head.len() - 1], Op::Multiply),
        Some('+') => (&head[..head.len() - 1], Op::Add),
        Some('-') => (&head[..head.len() - 1], Op::Subtract),
        _ => (head, Op::Set),
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(malformed(format!("no field before `{}`", op.symbol())));
    }
    if value.is_empty() {
        return Err(malformed(format!("no value after `{}`", op.symbol())));
    }
    Ok((path, op, value))
}

/// One override, parsed: the item and field it names, how it combines, and its value.
struct Change<'a> {
    path: Path<'a>,
    /// `features[sso].deadline`, as findings name the field.
    field: String,
    op: Op,
    value: &'a str,
}

/// The field as changed (with the period, for one period's capacity), and its value before and after.
type Changed = (String, String, String);

impl Change<'_> {
    /// Fails when a period or key follows a field that holds one value; `why` says why.
    fn one_value(&self, why: &str) -> Result<(), Problem> {
        no_qualifier(&self.field, self.path.qualifier, why)
    }

    /// The period a date field is set to, or none: one value (`why`), set only with `=`
    /// (`what` says what the field holds), the help's example naming the period `example`; a
    /// date is read as `reads` says.
    fn period(
        &self,
        model: &Model,
        (why, what, example): (&str, &str, &str),
        reads: Reads,
    ) -> Result<Option<usize>, Problem> {
        self.one_value(why)?;
        only_set(
            &self.field,
            self.op,
            what,
            &format!("{}={example}", dotted(&self.field)),
        )?;
        parse_period_or_date(model, &self.field, self.value, true, reads)
    }

    /// Combines the override with the plain number `current`; `example` is a value the help offers.
    fn number(&self, current: f64, example: &str) -> Result<f64, Problem> {
        combine_number(&self.field, current, self.op, self.value, example)
    }

    /// Combines the override with the estimate `current` (none where the item has none yet)
    /// within `domain` and stores the result, a new estimate under the field's name; the
    /// estimate as it was described before, and the id it has now.
    fn estimate(
        &self,
        model: &mut Model,
        current: Option<InputId>,
        domain: Domain,
    ) -> Result<(String, InputId), Problem> {
        let before = describe_input(model, current);
        let dist = combine_dist(
            &self.field,
            current.map(|c| model.dist(c)),
            self.op,
            self.value,
            domain,
        )?;
        Ok((before, put_input(model, current, &self.field, dist)))
    }
}

/// Applies one override: parsed here, then changed by the function for its section and field.
fn apply_one(model: &mut Model, argument: &str) -> Result<Applied, Problem> {
    let (path_text, op, value) = split(argument)?;
    let path = parse_path(model, path_text)?;
    let field = format!("{}.{}", path.item, path.field);
    let kind = (path.section, path.field);
    let change = Change {
        path,
        field,
        op,
        value,
    };
    let (field, before, after) = match kind {
        ("teams", "capacity") => team_capacity(model, change)?,
        ("teams", "capacity_factor") => team_capacity_factor(model, change)?,
        ("teams", "cost_per_week") => team_cost(model, change)?,
        ("teams", "cost_kind") => team_cost_kind(model, change)?,
        ("features", "recurring_cost") => feature_recurring(model, change)?,
        ("features", "status") => feature_status(model, change)?,
        ("features", "remaining") => feature_remaining(model, change)?,
        ("features", "effort") => {
            refuse_whole_effort(model, &change)?;
            feature_effort_or_uplift(model, change)?
        }
        ("features", "uplift") => feature_effort_or_uplift(model, change)?,
        ("features", "value" | "cost" | "vendor_lead_weeks") => feature_estimate(model, change)?,
        ("features", "vendor_ready") => feature_vendor_ready(model, change)?,
        ("features", "ramp_months") => feature_ramp(model, change)?,
        ("features", "deadline") => feature_deadline(model, change)?,
        ("features", "earliest") => feature_earliest(model, change)?,
        ("features", "mandatory") => feature_mandatory(model, change)?,
        ("segments", _) => segment_estimate(model, change)?,
        ("deals", "one_off" | "monthly") => deal_amount(model, change)?,
        ("deals", "need") => deal_need(model, change)?,
        ("deals", "late_penalty") => deal_late_penalty(model, change)?,
        ("deals", _) => deal_by(model, change)?,
        ("risks", _) => common_risk_probability(model, change)?,
        ("extra_capacity", _) => extra_capacity_field(model, change)?,
        ("pools", _) => pool_field(model, change)?,
        ("plan", "budget_per_period") => plan_budget_per_period(model, change)?,
        _ => plan_budget(model, change)?,
    };
    Ok(Applied {
        argument: argument.to_string(),
        field,
        before,
        after,
    })
}

/// The checks validation runs on a resolved model that an override can break (a deadline
/// before the earliest start or out of reach, a mandatory feature that can never ship, two
/// mandatory features that exclude each other), run on the variant. Findings the base scenario
/// already had are left out: they were reported when it was read. `locate` gives the line a
/// field path was written on, so a finding points where a file's would.
pub fn check_variant(
    base: &Model,
    variant: &Model,
    locate: &dyn Fn(&str) -> Location,
) -> Vec<Finding> {
    use super::draft::Defined;
    use super::resolve::{check_deadlines, check_exclusions, earliest_delivery};
    let run = |model: &Model| {
        let defs: Vec<Defined> = model
            .features
            .iter()
            .map(|f| {
                let path = format!("features[{}]", f.id);
                Defined {
                    id: f.id.clone(),
                    location: locate(&path),
                    path,
                }
            })
            .collect();
        let defs: Vec<&Defined> = defs.iter().collect();
        let mut findings = super::finding::Findings::default();
        check_exclusions(&mut findings, &model.features, &defs, &[], &[]);
        let earliest = earliest_delivery(&model.features, &model.time, &model.inputs);
        check_deadlines(
            &mut findings,
            &model.features,
            &defs,
            &model.time,
            &earliest,
        );
        findings.items
    };
    let before = run(base);
    run(variant)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect()
}
