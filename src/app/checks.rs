//! Domain checks the commands run before any solver: what validation reports about capacity,
//! and whether a what-if's variant can be compared with its base.

use super::load::findings_error;
use super::AppError;
use crate::analysis::capacity::{self, CapacityCheck};
use crate::report;
use crate::scenario::{Finding, Loaded};

/// Validation needs the capacity check's verdict, not its tightest percentiles: at most this
/// many trials (scenarios/README.md), so a large backlog validates in a blink.
pub(super) const VALIDATE_TRIALS: u64 = 2_000;

/// Capacity problems that no plan can overcome, as findings at the line to change.
pub(super) fn capacity_findings(loaded: &Loaded, check: &CapacityCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &check.shortfalls {
        let field = format!("teams[{}].capacity", s.team);
        let loc = loaded.location(&field);
        let sentence = report::capacity::shortfall_sentence(s);
        out.push(if s.mandatory_only {
            Finding::error(loc, field, sentence)
                .help("add capacity, make some of these features optional, or move their deadlines")
        } else {
            Finding::warning(loc, field, sentence).help(
                "not every deadline can be met on average; see `roadmap capacity` for the periods",
            )
        });
    }
    for t in &check.themes {
        let loc = loaded.location(&format!("themes[{}]", t.theme));
        if t.min_unreachable() {
            out.push(
                Finding::error(loc.clone(), format!("themes[{}].min_share", t.theme), format!("the theme needs at least {} of the planned work, but all its features together take {} person-weeks expected and the mandatory work outside it {}: at most {} is possible", report::format::percent(t.min_share), report::format::weeks(t.available_mean), report::format::weeks(t.other_mandatory_mean), report::format::percent(t.best_share())))
                    .help("lower min_share, give the theme more features, or make fewer features outside it mandatory"),
            );
        }
        if t.max_exceeded() {
            out.push(
                Finding::error(loc, format!("themes[{}].max_share", t.theme), format!("mandatory features of the theme take {} person-weeks expected: even with every other feature planned the theme is {} of the work, above its maximum of {}", report::format::weeks(t.mandatory_mean), report::format::percent(t.least_share()), report::format::percent(t.max_share)))
                    .help("raise max_share, or make some of its features optional"),
            );
        }
    }
    if let Some(budgets) = &loaded.model.budget_per_period {
        period_budgets_hold(loaded, budgets, &mut out);
    }
    if let Some(b) = &check.budget {
        let currency = &loaded.model.currency;
        if b.fixed_team_cost > 0.0 && b.exceeded() {
            let fixed = report::format::money(b.fixed_team_cost, currency);
            let budget = report::format::money(b.budget, currency);
            let message = if crate::model::exceeds(b.fixed_team_cost, b.budget) {
                format!("the teams whose cost is fixed (cost_kind = \"fixed\") cost {fixed} over the plan whatever it holds, over the budget of {budget} before any feature")
            } else {
                format!(
                    "the teams whose cost is fixed (cost_kind = \"fixed\") cost {fixed} over the plan whatever it holds, and mandatory features {} expected: together over the budget of {budget}",
                    report::format::money(b.mandatory_cost_mean, currency)
                )
            };
            out.push(
                Finding::error(loaded.location("plan.budget"), "plan.budget", message).help(
                    format!(
                        "the budget counts every week of a fixed-cost team's capacity: raise it to at least {}, or set cost_kind = \"variable\" on teams paid only for the weeks they work on features",
                        report::format::money(b.least_spend(), currency)
                    ),
                ),
            );
        } else if b.exceeded() {
            out.push(
                Finding::error(
                    loaded.location("plan.budget"),
                    "plan.budget",
                    format!(
                        "mandatory features cost {} expected, over the budget of {}",
                        report::format::money(b.mandatory_cost_mean, &loaded.model.currency),
                        report::format::money(b.budget, &loaded.model.currency)
                    ),
                )
                .help("raise the budget or make some features optional"),
            );
        }
    }
    out
}

/// The teams whose cost is fixed book their whole capacity in every period, so each period's
/// budget must hold that much before any feature; and the expected cost of the mandatory work
/// (mandatory features and what they require, with their least recurring spend) must fit what
/// the budgets of all periods leave together; when it is booked is the plan's choice.
fn period_budgets_hold(loaded: &Loaded, budgets: &[f64], out: &mut Vec<Finding>) {
    let model = &loaded.model;
    let currency = &model.currency;
    let mut fixed_total = 0.0;
    for (p, &budget) in budgets.iter().enumerate() {
        let fixed = crate::model::expect::fixed_team_spend_in(model, p);
        fixed_total += fixed;
        if crate::model::exceeds(fixed, budget) {
            let label = model.time.label(p);
            out.push(
                Finding::error(
                    loaded.location("plan.budget_per_period"),
                    "plan.budget_per_period",
                    format!(
                        "the teams whose cost is fixed (cost_kind = \"fixed\") cost {} in {label} whatever the plan holds, over that period's budget of {}",
                        report::format::money(fixed, currency),
                        report::format::money(budget, currency)
                    ),
                )
                .help(format!(
                    "raise the budget of {label} to at least {}, or set cost_kind = \"variable\" on teams paid only for the weeks they work on features",
                    report::format::money(fixed, currency)
                )),
            );
        }
    }
    let forced: f64 = crate::analysis::capacity::forced_due(model)
        .iter()
        .enumerate()
        .filter(|(_, due)| due.is_some())
        .map(|(f, _)| {
            crate::model::expect::spend(model, f)
                + crate::model::expect::least_recurring_spend(model, f)
        })
        .sum();
    let total: f64 = budgets.iter().sum::<f64>() - fixed_total;
    if fixed_total <= budgets.iter().sum::<f64>() && crate::model::exceeds(forced, total) {
        let after_fixed = if fixed_total > 0.0 {
            format!(
                " after the {} of the teams whose cost is fixed",
                report::format::money(fixed_total, currency)
            )
        } else {
            String::new()
        };
        out.push(
            Finding::error(
                loaded.location("plan.budget_per_period"),
                "plan.budget_per_period",
                format!(
                    "mandatory features cost {} expected, over the {} the budgets of all periods allow together{after_fixed}",
                    report::format::money(forced, currency),
                    report::format::money(total, currency)
                ),
            )
            .help("raise the budgets per period or make some features optional"),
        );
    }
}

/// Two scenarios can be compared period by period only if their calendars agree.
pub(super) fn same_periods(base: &Loaded, other: &Loaded) -> Result<(), AppError> {
    let (a, b) = (&base.model.time, &other.model.time);
    if a.labels == b.labels && a.period_weeks == b.period_weeks {
        return Ok(());
    }
    let describe = |t: &crate::model::TimeFrame| {
        format!(
            "{} period{} of {} weeks, {}..{}",
            t.periods,
            if t.periods == 1 { "" } else { "s" },
            crate::model::dist::fmt_num(t.period_weeks),
            t.labels[0],
            t.labels[t.periods - 1]
        )
    };
    let finding = Finding::error(
        other.location("plan"),
        "plan",
        format!(
            "its periods ({}) differ from those of {} ({})",
            describe(b),
            base.files[0].display(),
            describe(a)
        ),
    )
    .help("a what-if compares plans period by period: give both files the same plan.periods, period_weeks and start");
    Err(findings_error(&[finding]))
}

/// The variant's problems that validation would report for a file: what the overrides broke.
/// Errors fail the command (exit 2); new warnings are returned for standard error. With the
/// plan held no solver needs the variant to be plannable, so commitments that no longer fit
/// (the question "what if we lose a person for a quarter?") are warnings: the simulation shows
/// what happens to them.
pub(super) fn check_overridden(
    loaded: &Loaded,
    variant: crate::model::Model,
    arguments: &[String],
    hold_plan: bool,
) -> Result<(crate::model::Model, Vec<Finding>), AppError> {
    use crate::scenario::overrides;
    let base = &loaded.model;
    let mut findings = overrides::check_variant(base, &variant, &|field| loaded.location(field));
    let trials = base.simulation.trials.min(VALIDATE_TRIALS);
    let seed = base.simulation.seed;
    let before = capacity_findings(loaded, &capacity::check(base, trials, seed));
    let check = capacity::check(&variant, trials, seed);
    let variant_loaded = Loaded {
        model: variant,
        warnings: Vec::new(),
        files: loaded.files.clone(),
        locations: loaded.locations.clone(),
    };
    let unplannable = capacity_findings(&variant_loaded, &check)
        .into_iter()
        .filter(|f| !before.contains(f))
        .map(|f| {
            if hold_plan && f.is_error() {
                Finding {
                    severity: crate::scenario::Severity::Warning,
                    help: Some("the held plan is simulated as it is: the variant's delivery chances show what becomes of this work".into()),
                    ..f
                }
            } else {
                f
            }
        });
    findings.extend(unplannable);
    if findings.iter().any(Finding::is_error) {
        let set: Vec<String> = arguments.iter().map(|a| format!("--set {a}")).collect();
        let only_capacity = findings.iter().filter(|f| f.is_error()).all(|f| {
            f.field.ends_with(".capacity")
                || f.field == "plan.budget"
                || f.field.starts_with("themes[")
        });
        return Err(AppError::Invalid(format!(
            "{}\nwith {} the scenario is invalid (checked before any solver runs){}",
            report::findings::render(&findings, usize::MAX).trim_end(),
            set.join(" "),
            if only_capacity && !hold_plan {
                "\n  help: --hold-plan simulates the base's plan on the variant without re-planning it"
            } else {
                ""
            }
        )));
    }
    Ok((variant_loaded.model, findings))
}
