//! How far each feature's work had come when the plan starts.
//!
//! A plan is made at a date, and some of the backlog is already behind it: shipped, or under
//! way. A **done** feature is not planned: it left the model's features when the scenario was
//! read (and what needs it counts it as delivered before the first period), so no engine needs
//! to know about it; [`Model::done`] keeps it for the reports. An **in-progress** feature stays,
//! with the work that remains as its effort: the work already spent is sunk, and no plan
//! changes it.

use super::{Deal, Feature, InputId, Model};
use serde::Serialize;

/// Where a feature's work stands when the plan starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    NotStarted,
    /// Under way: the feature's effort is the work that remains.
    InProgress,
    /// Shipped before the plan starts. Only ever seen while a scenario is read: the model's
    /// features are those still to deliver.
    Done,
}

impl Status {
    /// The values a scenario file writes, as it writes them.
    pub const NAMES: [&'static str; 3] = ["not-started", "in-progress", "done"];

    pub fn name(self) -> &'static str {
        match self {
            Status::NotStarted => Self::NAMES[0],
            Status::InProgress => Self::NAMES[1],
            Status::Done => Self::NAMES[2],
        }
    }

    /// As a table marks it: nothing for work not started, which is most of a backlog.
    pub fn marker(self) -> &'static str {
        match self {
            Status::NotStarted => "",
            Status::InProgress => "in progress",
            Status::Done => "done",
        }
    }

    pub fn is_not_started(&self) -> bool {
        *self == Status::NotStarted
    }
}

/// A feature shipped before the plan starts: not planned, no capacity, no spend; a
/// requirement on it is met from the first period and a deal counts it as delivered. Its
/// value is in no plan's NPV, since no plan changes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoneFeature {
    pub id: String,
    pub name: String,
    pub mandatory: bool,
}

impl Feature {
    /// Every uncertain input the feature reads.
    pub fn input_ids(&self) -> Vec<InputId> {
        let mut ids: Vec<InputId> = self.effort.iter().map(|e| e.weeks).collect();
        ids.extend(self.value_monthly);
        ids.extend(self.uplift.iter().map(|u| u.fraction));
        ids.extend(self.cost);
        ids.extend(self.vendor_lead_weeks);
        ids.extend(self.vendor_ready.as_ref().and_then(|v| v.delay_weeks));
        if let Some(r) = &self.recurring_cost {
            ids.extend(r.per_month);
            ids.extend(r.per_customer.map(|p| p.amount));
        }
        for r in &self.risks {
            ids.extend(r.effort.iter().map(|e| e.weeks));
            ids.extend(r.delay_weeks);
            ids.extend(r.cost);
        }
        ids
    }
}

impl Model {
    /// Takes the features whose status is done out of the model's features into
    /// [`Model::done`]: what requires them loses the requirement (met before the first
    /// period), an any-of group with a done alternative goes (met the same way), exclusions
    /// with them go, and deals wait only for the rest. Returns the deals
    /// that had nothing else to wait for, which leave the model too: no plan changes them.
    /// Feature and deal indices shift; ids do not.
    pub fn take_done(&mut self) -> Vec<Deal> {
        let done: Vec<bool> = self
            .features
            .iter()
            .map(|f| f.status == Status::Done)
            .collect();
        if !done.contains(&true) {
            return Vec::new();
        }
        let mut new_index = vec![usize::MAX; done.len()];
        let mut next = 0;
        for (f, &d) in done.iter().enumerate() {
            if !d {
                new_index[f] = next;
                next += 1;
            }
        }
        let kept = |g: &usize| !done[*g];
        let features = std::mem::take(&mut self.features);
        for (f, mut feature) in features.into_iter().enumerate() {
            if done[f] {
                self.done.push(DoneFeature {
                    id: feature.id,
                    name: feature.name,
                    mandatory: feature.mandatory,
                });
                continue;
            }
            feature.requires.retain(|r| kept(&r.feature));
            for r in &mut feature.requires {
                r.feature = new_index[r.feature];
            }
            feature
                .requires_any
                .retain(|group| group.features.iter().all(kept));
            for g in feature
                .requires_any
                .iter_mut()
                .flat_map(|group| group.features.iter_mut())
            {
                *g = new_index[*g];
            }
            feature.excludes.retain(kept);
            for g in &mut feature.excludes {
                *g = new_index[*g];
            }
            self.features.push(feature);
        }
        let deals = std::mem::take(&mut self.deals);
        let mut settled = Vec::new();
        for mut deal in deals {
            // Done features count towards a deal that takes any `need` of its features.
            let done = deal.features.iter().filter(|&&f| !kept(&f)).count();
            let waits_for_something = deal.features.iter().any(kept) && deal.need > done;
            deal.need -= done.min(deal.need);
            deal.features.retain(kept);
            for g in &mut deal.features {
                *g = new_index[*g];
            }
            if waits_for_something {
                self.deals.push(deal);
            } else {
                settled.push(deal);
            }
        }
        settled
    }

    /// Removes inputs nothing reads any more (a done feature's estimates, the whole estimate
    /// an in-progress feature's remaining work replaces), so that counts of uncertain inputs,
    /// and whether anything is uncertain at all, speak of the plan. Correlations with them go.
    pub fn remove_inputs(&mut self, gone: &[InputId]) {
        if gone.is_empty() {
            return;
        }
        let mut removed = vec![false; self.inputs.len()];
        for id in gone {
            removed[id.0 as usize] = true;
        }
        let mut new_id = vec![u32::MAX; self.inputs.len()];
        let mut next = 0;
        for (i, &r) in removed.iter().enumerate() {
            if !r {
                new_id[i] = next;
                next += 1;
            }
        }
        let mut i = 0;
        self.inputs.retain(|_| {
            i += 1;
            !removed[i - 1]
        });
        self.correlations
            .retain(|c| !removed[c.a.0 as usize] && !removed[c.b.0 as usize]);
        self.for_each_input_id(|id| id.0 = new_id[id.0 as usize]);
    }

    /// Every input id the model holds, to renumber them.
    fn for_each_input_id(&mut self, mut visit: impl FnMut(&mut InputId)) {
        for t in &mut self.teams {
            visit(&mut t.capacity_factor);
        }
        for s in &mut self.segments {
            visit(&mut s.demand);
            visit(&mut s.growth);
            visit(&mut s.price);
            s.retention.iter_mut().for_each(&mut visit);
        }
        for f in &mut self.features {
            f.effort.iter_mut().for_each(|e| visit(&mut e.weeks));
            f.value_monthly.iter_mut().for_each(&mut visit);
            f.uplift.iter_mut().for_each(|u| visit(&mut u.fraction));
            f.cost.iter_mut().for_each(&mut visit);
            f.vendor_lead_weeks.iter_mut().for_each(&mut visit);
            if let Some(id) = f.vendor_ready.as_mut().and_then(|v| v.delay_weeks.as_mut()) {
                visit(id);
            }
            if let Some(r) = &mut f.recurring_cost {
                r.per_month.iter_mut().for_each(&mut visit);
                r.per_customer.iter_mut().for_each(|p| visit(&mut p.amount));
            }
            for r in &mut f.risks {
                r.effort.iter_mut().for_each(|e| visit(&mut e.weeks));
                r.delay_weeks.iter_mut().for_each(&mut visit);
                r.cost.iter_mut().for_each(&mut visit);
            }
        }
        for d in &mut self.deals {
            d.one_off.iter_mut().for_each(&mut visit);
            d.monthly.iter_mut().for_each(&mut visit);
        }
        for c in &mut self.correlations {
            visit(&mut c.a);
            visit(&mut c.b);
        }
    }

    /// Whether any work is under way or done: only then do reports show a status.
    pub fn has_progress(&self) -> bool {
        !self.done.is_empty() || self.features.iter().any(|f| !f.status.is_not_started())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_features_leave_and_indices_follow() {
        let mut model = crate::model::test_model(
            r#"
[plan]
periods = 2
[[teams]]
id = "web"
capacity = 10
[[features]]
id = "a"
effort = { web = 1 }
value = 100
[[features]]
id = "b"
effort = { web = 1 }
value = 100
requires = ["a"]
[[features]]
id = "c"
effort = { web = 1 }
value = 100
requires = ["b"]
[[features]]
id = "e"
effort = { web = 1 }
value = 100
requires = [{ any = ["a", "c"] }]
[[features]]
id = "g"
effort = { web = 1 }
value = 100
requires = [{ any = ["c", "e"], lag = 1 }]
[[deals]]
id = "d1"
features = ["a"]
one_off = 5
[[deals]]
id = "d2"
features = ["a", "c"]
one_off = 5
"#,
        );
        model.features[0].status = Status::Done;
        let settled = model.take_done();
        assert_eq!(settled.len(), 1);
        assert_eq!(settled[0].id, "d1");
        let ids: Vec<&str> = model.features.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b", "c", "e", "g"]);
        assert!(model.features[0].requires.is_empty());
        assert_eq!(model.features[1].requires[0].feature, 0);
        // `a` done meets the group of `e`; the group of `g` waits for c or e, renumbered.
        assert!(model.features[2].requires_any.is_empty());
        assert_eq!(
            model.features[3].requires_any,
            [crate::model::AnyOf {
                features: vec![1, 2],
                lag_periods: 1
            }]
        );
        assert_eq!(model.deals.len(), 1);
        assert_eq!(model.deals[0].features, [1]);
        assert_eq!(model.done[0].id, "a");
    }
}
