//! The portfolio written as scenario TOML, in the order and layout of the hand-written examples.

use super::*;

impl Generator<'_> {
    pub(super) fn write(&self) -> String {
        let mut out = String::with_capacity(600 * self.spec.features + 4000);
        self.write_plan(&mut out);
        self.write_teams(&mut out);
        self.write_segments(&mut out);
        self.write_themes(&mut out);
        let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
        let _ = writeln!(out, "# Features\n");
        for f in &self.features {
            self.write_feature(&mut out, f);
        }
        self.write_deals(&mut out);
        self.write_correlations(&mut out);
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    /// The header comment (title, the command that wrote it, its knobs), `[plan]` and `[simulation]`.
    fn write_plan(&self, out: &mut String) {
        let spec = self.spec;
        let title = format!(
            "Generated portfolio ({}, {}, {}, seed {})",
            plural(spec.features, "feature"),
            plural(spec.teams, "team"),
            plural(spec.periods, "period"),
            spec.seed
        );
        let _ = writeln!(out, "# {title}: synthetic but plausible.");
        let _ = writeln!(out, "# Written by `{}`;", spec.command());
        let _ = writeln!(
            out,
            "# the same command writes the same file. Knobs: value skew {}, uncertainty {},",
            spec.value_skew, spec.uncertainty
        );
        let _ = writeln!(
            out,
            "# dependency density {}, effort correlation {}.",
            spec.dependency_density, spec.effort_correlation
        );
        let _ = writeln!(out, "# Efforts are person-weeks per team as [low, likely, high]; values are per month at full");
        let _ = writeln!(out, "# adoption; capacity is person-weeks per period.\n");

        let quarters = self.period_weeks == 13.0;
        let plan_months = spec.periods as f64 * self.period_weeks * 12.0 / 52.0;
        let _ = writeln!(out, "[plan]");
        let _ = writeln!(out, "name = \"{title}\"");
        let _ = writeln!(out, "periods = {}", spec.periods);
        let _ = writeln!(
            out,
            "{}",
            commented(
                format!("period_weeks = {}", num(self.period_weeks)),
                if quarters { "quarters" } else { "sprints" }
            )
        );
        let _ = writeln!(out, "start = \"{}\"", self.labels[0]);
        let _ = writeln!(out, "horizon_months = {}", plan_months.ceil() + 24.0);
        let _ = writeln!(out, "discount_rate = 0.1");
        let _ = writeln!(out, "currency = \"USD\"");
        if let Some(b) = self.budget {
            let _ = writeln!(
                out,
                "{}",
                commented(
                    format!("budget = {}", grouped(b)),
                    "about 75% of the whole backlog's expected cost"
                )
            );
        }
        let _ = writeln!(
            out,
            "\n[simulation]\ntrials = 10000\nseed = {}\n",
            spec.seed
        );
    }

    /// Teams with their capacity, capacity factor and cost.
    fn write_teams(&self, out: &mut String) {
        let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
        let _ = writeln!(out, "# Teams: the backlog's expected effort is about {:.1}x their capacity, so choices matter.\n", self.backlog_ratio);
        for team in &self.teams {
            let _ = writeln!(
                out,
                "[[teams]]\nid = \"{}\"\nname = \"{}\"",
                team.id, team.name
            );
            let first = team.capacity[0];
            if team.capacity.iter().all(|c| *c == first) {
                let _ = writeln!(out, "capacity = {}", num(first));
            } else {
                let list: Vec<String> = team.capacity.iter().map(|c| num(*c)).collect();
                let _ = writeln!(out, "capacity = [{}]", list.join(", "));
            }
            if let Some(f) = team.factor {
                let _ = writeln!(out, "capacity_factor = {}", f.toml());
            }
            let _ = writeln!(out, "cost_per_week = {}\n", num(team.cost_per_week));
        }
    }

    /// Segments: demand, growth and price.
    fn write_segments(&self, out: &mut String) {
        let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
        let _ = writeln!(
            out,
            "# Segments: accounts per month, growth per month, price per account per month.\n"
        );
        for s in &self.segments {
            let _ = writeln!(
                out,
                "[[segments]]\nid = \"{}\"\nname = \"{}\"",
                s.kind.id, s.kind.name
            );
            let (p10, p90) = s.demand;
            if p10 == p90 {
                let _ = writeln!(out, "demand = {}", num(p10));
            } else {
                let _ = writeln!(
                    out,
                    "demand = {{ lognormal = {{ p10 = {}, p90 = {} }} }}",
                    num(p10),
                    num(p90)
                );
            }
            let _ = writeln!(out, "growth = {}", s.growth.toml());
            let _ = writeln!(out, "price = {}\n", s.price.toml());
        }
    }

    /// Themes and their shares of capacity, when there are any.
    fn write_themes(&self, out: &mut String) {
        if !self.themes.is_empty() {
            let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
            let _ = writeln!(out, "# Themes: shares of total capacity.\n");
            for t in &self.themes {
                let _ = writeln!(out, "[[themes]]\nid = \"{}\"\nname = \"{}\"", t.id, t.name);
                if t.min_share > 0.0 {
                    let _ = writeln!(out, "min_share = {}", t.min_share);
                }
                if t.max_share < 1.0 {
                    let _ = writeln!(out, "max_share = {}", t.max_share);
                }
                out.push('\n');
            }
        }
    }

    /// Deals, when there are any.
    fn write_deals(&self, out: &mut String) {
        if !self.deals.is_empty() {
            let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
            let _ = writeln!(
                out,
                "# Deals: paid only when all their features ship (by `by`, when given).\n"
            );
            for d in &self.deals {
                let ids: Vec<String> = d
                    .features
                    .iter()
                    .map(|&f| format!("\"{}\"", self.features[f].id))
                    .collect();
                let _ = writeln!(
                    out,
                    "[[deals]]\nid = \"{}\"\ncustomer = \"{}\"\nfeatures = [{}]",
                    d.id,
                    d.customer,
                    ids.join(", ")
                );
                if let Some(v) = d.one_off {
                    let _ = writeln!(out, "one_off = {}", num(v));
                }
                if let Some(m) = d.monthly {
                    let _ = writeln!(out, "monthly = {}", m.toml());
                }
                if let Some(by) = d.by {
                    let _ = writeln!(out, "by = \"{}\"", self.labels[by]);
                }
                out.push('\n');
            }
        }
    }

    /// Rank correlations: neighbouring segments' demand, and each team's efforts when asked for.
    fn write_correlations(&self, out: &mut String) {
        let spec = self.spec;
        let mut correlations = String::new();
        let uncertain = |s: &Segment| s.demand.0 != s.demand.1;
        for i in 0..self.segments.len().saturating_sub(1) {
            let (a, b) = (&self.segments[i], &self.segments[i + 1]);
            if uncertain(a) && uncertain(b) {
                // Pairs along a chain, each segment in at most two: the matrix stays diagonally dominant.
                let rho = if i % 2 == 0 {
                    [0.3, 0.4, 0.5, 0.6][((self.spec.seed % 4) as usize + i) % 4]
                } else {
                    0.3
                };
                let _ = writeln!(correlations, "[[correlations]]\ninputs = [\"segments[{}].demand\", \"segments[{}].demand\"]\nrho = {rho}\n", a.kind.id, b.kind.id);
            }
        }
        if spec.effort_correlation > 0.0 {
            for (t, team) in self.teams.iter().enumerate() {
                let uncertain_efforts = self
                    .features
                    .iter()
                    .flat_map(|f| f.effort.iter())
                    .filter(|(u, e)| *u == t && !e.is_constant())
                    .count();
                if uncertain_efforts >= 2 {
                    let _ = writeln!(
                        correlations,
                        "[[correlations]]\ninputs = [\"features[*].effort.{}\"]\nrho = {}\n",
                        team.id, spec.effort_correlation
                    );
                }
            }
        }
        if !correlations.is_empty() {
            let _ = writeln!(out, "# ---------------------------------------------------------------------------------------");
            let _ = writeln!(out, "# Correlations (rank): markets move together; one team's estimates err together.\n");
            out.push_str(&correlations);
        }
    }

    pub(super) fn write_feature(&self, out: &mut String, f: &Feature) {
        let _ = writeln!(
            out,
            "[[features]]\nid = \"{}\"\nname = \"{}\"",
            f.id, f.name
        );
        let efforts: Vec<String> = f
            .effort
            .iter()
            .map(|(t, e)| format!("{} = {}", self.teams[*t].id, e.toml()))
            .collect();
        let _ = writeln!(out, "effort = {{ {} }}", efforts.join(", "));
        if let Some(v) = f.value {
            let _ = writeln!(out, "value = {}", v.toml());
        }
        if !f.uplift.is_empty() {
            let ups: Vec<String> = f
                .uplift
                .iter()
                .map(|(s, u)| format!("{} = {}", self.segments[*s].kind.id, u.toml()))
                .collect();
            let _ = writeln!(out, "uplift = {{ {} }}", ups.join(", "));
        }
        if f.ramp_months > 0 {
            let _ = writeln!(out, "ramp_months = {}", f.ramp_months);
        }
        if let Some(c) = f.cost {
            let _ = writeln!(out, "cost = {}", c.toml());
        }
        if let Some(l) = f.vendor_lead_weeks {
            let _ = writeln!(out, "vendor_lead_weeks = {}", l.toml());
        }
        if !f.requires.is_empty() {
            let reqs: Vec<String> = f
                .requires
                .iter()
                .map(|&(g, lag)| {
                    let id = &self.features[g].id;
                    if lag > 0 {
                        format!("{{ id = \"{id}\", lag = {lag} }}")
                    } else {
                        format!("\"{id}\"")
                    }
                })
                .collect();
            let _ = writeln!(out, "requires = [{}]", reqs.join(", "));
        }
        if let Some(g) = f.excludes {
            let _ = writeln!(out, "excludes = [\"{}\"]", self.features[g].id);
        }
        if f.mandatory {
            let _ = writeln!(out, "mandatory = true");
        }
        match f.deadline {
            Some((d, DeadlineKind::Hard)) => {
                let _ = writeln!(out, "deadline = \"{}\"", self.labels[d]);
            }
            Some((d, DeadlineKind::Soft { penalty })) => {
                let _ = writeln!(
                    out,
                    "deadline = {{ period = \"{}\", kind = \"soft\", penalty = {} }}",
                    self.labels[d],
                    num(penalty)
                );
            }
            None => {}
        }
        if let Some(e) = f.earliest {
            let _ = writeln!(out, "earliest = \"{}\"", self.labels[e]);
        }
        if let Some(k) = f.theme {
            let _ = writeln!(out, "theme = \"{}\"", self.themes[k].id);
        }
        if !f.risks.is_empty() {
            let _ = writeln!(out, "risks = [");
            for r in &f.risks {
                let impact = match &r.impact {
                    RiskImpact::Effort(t, e) => {
                        format!("effort = {{ {} = {} }}", self.teams[*t].id, e.toml())
                    }
                    RiskImpact::DelayWeeks(e) => format!("delay_weeks = {}", e.toml()),
                    RiskImpact::Cost(e) => format!("cost = {}", e.toml()),
                    RiskImpact::ValueLoss(v) => format!("value_loss = {}", num(*v)),
                };
                let _ = writeln!(
                    out,
                    "  {{ name = \"{}\", probability = {}, {impact} }},",
                    r.name,
                    num(r.probability)
                );
            }
            let _ = writeln!(out, "]");
        }
        let fw = &f.framework;
        let _ = writeln!(
            out,
            "reach = {}\nimpact = {}\nconfidence = {}\nease = {}\nmoscow = \"{}\"\nbusiness_value = {}\ntime_criticality = {}\nrisk_reduction = {}\n",
            num(fw.reach),
            num(fw.impact),
            num(fw.confidence),
            num(fw.ease),
            fw.moscow,
            num(fw.business_value),
            num(fw.time_criticality),
            num(fw.risk_reduction)
        );
    }
}

/// A line with a comment at column 29, as in the hand-written examples.
pub(super) fn commented(line: String, comment: &str) -> String {
    format!("{line:<27} # {comment}")
}

pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A number as TOML: integers without a decimal point, others in their shortest form.
pub(super) fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A large amount with `_` grouping thousands: 1_500_000.
pub(super) fn grouped(x: f64) -> String {
    let digits = num(x.round());
    if digits.len() <= 4 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}
