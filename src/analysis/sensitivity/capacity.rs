//! What a capacity drop would make the optimizer cut.

use super::*;

/// `model` with every team's capacity in every period multiplied by `factor`.
pub fn with_capacity(model: &Model, factor: f64) -> Model {
    let mut out = model.clone();
    for team in &mut out.teams {
        team.capacity_weeks.iter_mut().for_each(|w| *w *= factor);
    }
    out
}

pub(super) fn capacity_drop(
    model: &Model,
    plan: &Plan,
    options: &SensitivityOptions,
    factor: f64,
    npv_mean_before: f64,
    progress: &dyn Progress,
) -> Result<CapacityDrop, SensitivityError> {
    let opts = OptimizeOptions {
        mode: OptimizeMode::Deterministic,
        ..options.optimize.clone()
    };
    let lower = with_capacity(model, factor);
    let after = match optimize::optimize(&lower, &opts) {
        Ok(outcome) => Some(outcome),
        Err(OptimizeError::Infeasible(_)) => None,
        Err(e) => return Err(SensitivityError::Optimize(e)),
    };
    progress.advance(1);

    // The plan before, valued as the optimizer values plans, feature by feature.
    let (inputs, form) = optimize::formulate(model, &opts);
    let columns = optimize::start::column_values(model, &inputs, &form, plan);
    let objective_before = form.milp.objective(&columns);
    let (lower_inputs, _) = optimize::formulate(&lower, &opts);
    let net_value = |inputs: &optimize::inputs::Inputs, f: usize, period: usize| {
        inputs.windows[f]
            .and_then(|w| period.checked_sub(w.first))
            .and_then(|k| inputs.world.delivery[f].get(k).copied())
            .unwrap_or(0.0)
    };

    let sim = SimOptions {
        trials: options.trials,
        seed: options.seed,
        threads: None,
        method: Method::MonteCarlo,
    };
    let simulated = |m: &Model, p: &Plan| -> Result<f64, SensitivityError> {
        let engine = Engine::new(
            m,
            &Schedule::Plan(p.clone()),
            options.seed,
            Method::MonteCarlo,
            options.trials,
        );
        let result = simulate::run(m, &engine, &sim, &simulate::Quiet, None)?;
        Ok(result.npv.mean)
    };
    let npv_mean_held = simulated(&lower, plan)?;
    let npv_mean_after = match &after {
        Some(o) => Some(simulated(&lower, &o.plan)?),
        None => None,
    };

    let labels = &model.time.labels;
    let (mut dropped, mut added, mut moved) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(after) = &after {
        for (f, feature) in model.features.iter().enumerate() {
            let before_period = plan.periods.get(f).copied().flatten();
            let after_period = after.plan.periods[f];
            let change = |net_value: f64| PlanChange {
                feature: feature.id.clone(),
                name: feature.name.clone(),
                before: before_period.map(|p| labels[p].clone()),
                after: after_period.map(|p| labels[p].clone()),
                net_value,
            };
            match (before_period, after_period) {
                (Some(p), None) => dropped.push(change(net_value(&inputs, f, p))),
                (None, Some(p)) => added.push(change(net_value(&lower_inputs, f, p))),
                (Some(a), Some(b)) if a != b => moved.push(change(net_value(&inputs, f, a))),
                _ => {}
            }
        }
    }
    // What the cut costs most first.
    dropped.sort_by(|a, b| b.net_value.total_cmp(&a.net_value));
    Ok(CapacityDrop {
        factor,
        feasible: after.is_some(),
        dropped,
        added,
        moved,
        objective_before,
        objective_after: after.as_ref().map(|o| o.objective),
        npv_mean_before,
        npv_mean_held,
        npv_mean_after,
    })
}
