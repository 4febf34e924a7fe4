//! A mixed-integer program held as plain data: columns, rows and a sparse matrix. The
//! formulation writes it, the solver adapter hands it to HiGHS, the LP writer prints it, and
//! a start can be checked against it, all without the solver in the way.

use std::fmt::Write as _;

/// What a column stands for; names in LP files and diagnostics come from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    /// Feature delivered by the end of the period (cumulative, binary).
    Delivered { feature: u32, period: u32 },
    /// Deal won with its last feature by the end of the period (cumulative).
    Won { deal: u32, period: u32 },
    /// Overtime person-weeks of a team in a period of a scenario.
    Overtime {
        scenario: u32,
        team: u32,
        period: u32,
    },
    /// Value at risk (the CVaR threshold).
    Threshold,
    /// Shortfall of a scenario's NPV below the threshold.
    Shortfall { scenario: u32 },
    /// Feature released by the end of the period in a scenario (cumulative, binary): when the
    /// scenario's work, waits and prerequisites let the plan ship it.
    Released {
        scenario: u32,
        feature: u32,
        period: u32,
    },
    /// In a scenario, the team has done its work on the feature by the end of the period: its
    /// queue, in plan order, has reached past the feature.
    QueueDone {
        scenario: u32,
        feature: u32,
        team: u32,
        period: u32,
    },
    /// Deal won by the end of the period in a scenario (cumulative).
    WonIn {
        scenario: u32,
        deal: u32,
        period: u32,
    },
    /// People of an extra-capacity option bought for periods from..=to (integer).
    Extra { option: u32, from: u32, to: u32 },
    /// A stage of a feature done by the end of the period (cumulative, binary).
    Staged {
        feature: u32,
        stage: u32,
        period: u32,
    },
    /// A later stage's part of a feature lies inside a Hall row's run of periods.
    PartInside {
        feature: u32,
        team: u32,
        from: u32,
        to: u32,
    },
    /// People of a pool placed with a team for a period (integer).
    Pooled { pool: u32, team: u32, period: u32 },
}

/// What a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Con {
    /// Delivered by t implies delivered by t + 1.
    Stays {
        feature: u32,
        period: u32,
    },
    /// Work due in periods from..=to that may only be done inside them fits the team's
    /// capacity there.
    Capacity {
        team: u32,
        from: u32,
        to: u32,
    },
    /// Delivered by t implies the requirement delivered by t - lag.
    Requires {
        feature: u32,
        requirement: u32,
        period: u32,
    },
    /// Delivered by t implies some alternative of the feature's any-of group `group` (its
    /// index among the feature's groups) delivered by t - lag.
    RequiresAny {
        feature: u32,
        group: u32,
        period: u32,
    },
    Excludes {
        feature: u32,
        other: u32,
    },
    /// A deal is won by t only if the feature is delivered by t.
    DealNeeds {
        deal: u32,
        feature: u32,
        period: u32,
    },
    DealStays {
        deal: u32,
        period: u32,
    },
    /// A deal that takes any `need` of its features is won by t only if `need` of them are
    /// delivered by t (`scenario`: released, in that sampled future).
    DealCount {
        scenario: Option<u32>,
        deal: u32,
        period: u32,
    },
    /// A deal whose late delivery can cost more than it pays is won as soon as it completes:
    /// the plan cannot decline it.
    DealWonWhenDone {
        scenario: Option<u32>,
        deal: u32,
        period: u32,
    },
    Budget,
    /// No more than an extra-capacity option's people work in a period.
    ExtraPeople {
        option: u32,
        period: u32,
    },
    /// A stage stays done.
    StageStays {
        feature: u32,
        stage: u32,
        period: u32,
    },
    /// A stage is done only for a feature that ships.
    StageShips {
        feature: u32,
        stage: u32,
    },
    /// A stage is done by t only when the stage before is done by t - 1.
    HandOff {
        feature: u32,
        stage: u32,
        period: u32,
    },
    /// The part lies inside the run when its stage is done by its end and the stage before
    /// is not done two periods before its start.
    PartInside {
        feature: u32,
        team: u32,
        from: u32,
        to: u32,
    },
    /// No more of a pool's people placed in a period than it has.
    PoolPeople {
        pool: u32,
        period: u32,
    },
    /// Expected spend booked in a period fits its budget.
    PeriodBudget {
        period: u32,
    },
    ThemeMin {
        theme: u32,
    },
    ThemeMax {
        theme: u32,
    },
    /// Work due in periods from..=to fits a scenario's capacity plus overtime.
    ScenarioCapacity {
        scenario: u32,
        team: u32,
        from: u32,
        to: u32,
    },
    /// Shortfall >= threshold - scenario NPV.
    Tail {
        scenario: u32,
    },
    /// In a scenario, released by t implies released by t + 1.
    ReleaseStays {
        scenario: u32,
        feature: u32,
        period: u32,
    },
    /// In a scenario, released by t only if planned early enough that its wait ends by t.
    ReleaseGate {
        scenario: u32,
        feature: u32,
        period: u32,
    },
    /// In a scenario, released by t implies the requirement released by t - lag.
    ReleaseRequires {
        scenario: u32,
        feature: u32,
        requirement: u32,
        period: u32,
    },
    /// In a scenario, released by t implies some alternative of the any-of group released by
    /// t - lag.
    ReleaseRequiresAny {
        scenario: u32,
        feature: u32,
        group: u32,
        period: u32,
    },
    /// In a scenario, the work queued ahead of a feature planned in `planned`, and its own,
    /// fits the team's capacity up to `period` unless the queue has not reached past it.
    QueueDone {
        scenario: u32,
        feature: u32,
        team: u32,
        planned: u32,
        from: u32,
        period: u32,
    },
    /// In a scenario, a feature is released by t only once its teams have done its work.
    QueueGate {
        scenario: u32,
        feature: u32,
        team: u32,
        period: u32,
    },
    /// In a scenario, a deal is won by t only if the feature is released by t.
    WonInNeeds {
        scenario: u32,
        deal: u32,
        feature: u32,
        period: u32,
    },
    WonInStays {
        scenario: u32,
        deal: u32,
        period: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub var: Var,
    pub lower: f64,
    pub upper: f64,
    pub integer: bool,
    pub objective: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub con: Con,
    pub lower: f64,
    pub upper: f64,
    /// Range of this row's entries in [`Milp::cols`] and [`Milp::coefs`].
    pub start: usize,
    pub end: usize,
}

/// A maximisation problem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Milp {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub cols: Vec<u32>,
    pub coefs: Vec<f64>,
    /// A constant in the objective: money every plan gets or pays (the cost of teams whose
    /// cost is fixed). It changes no plan's rank, so the solver never sees it.
    pub offset: f64,
}

/// Sizes, as the output reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Size {
    pub variables: usize,
    pub binaries: usize,
    /// General integers (people bought or placed); none in a model without them.
    #[serde(skip_serializing_if = "is_zero")]
    pub integers: usize,
    pub constraints: usize,
    pub nonzeros: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Milp {
    pub fn add_column(&mut self, var: Var, lower: f64, upper: f64, integer: bool) -> u32 {
        self.columns.push(Column {
            var,
            lower,
            upper,
            integer,
            objective: 0.0,
        });
        (self.columns.len() - 1) as u32
    }

    /// Adds a row; repeated columns are merged and zero coefficients dropped.
    pub fn add_row(&mut self, con: Con, lower: f64, upper: f64, entries: &[(u32, f64)]) {
        let start = self.cols.len();
        let mut sorted = entries.to_vec();
        sorted.sort_by_key(|&(c, _)| c);
        let mut i = 0;
        while i < sorted.len() {
            let c = sorted[i].0;
            let mut a = 0.0;
            while i < sorted.len() && sorted[i].0 == c {
                a += sorted[i].1;
                i += 1;
            }
            if a != 0.0 {
                self.cols.push(c);
                self.coefs.push(a);
            }
        }
        let end = self.cols.len();
        self.rows.push(Row {
            con,
            lower,
            upper,
            start,
            end,
        });
    }

    pub fn entries(&self, row: &Row) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.cols[row.start..row.end]
            .iter()
            .copied()
            .zip(self.coefs[row.start..row.end].iter().copied())
    }

    pub fn size(&self) -> Size {
        Size {
            variables: self.columns.len(),
            binaries: self
                .columns
                .iter()
                .filter(|c| c.integer && c.upper <= 1.0)
                .count(),
            integers: self
                .columns
                .iter()
                .filter(|c| c.integer && c.upper > 1.0)
                .count(),
            constraints: self.rows.len(),
            nonzeros: self.cols.len(),
        }
    }

    /// The objective of `values`, its constant included.
    pub fn objective(&self, values: &[f64]) -> f64 {
        self.plan_objective(values) + self.offset
    }

    /// The part of the objective that plans change: the constant left out.
    pub fn plan_objective(&self, values: &[f64]) -> f64 {
        self.columns
            .iter()
            .zip(values)
            .map(|(c, v)| c.objective * v)
            .sum()
    }

    pub fn activity(&self, row: &Row, values: &[f64]) -> f64 {
        self.entries(row).map(|(c, a)| a * values[c as usize]).sum()
    }

    /// The row most violated by `values`, with the violation (relative to its bound's size).
    pub fn worst_row(&self, values: &[f64]) -> Option<(Con, f64)> {
        self.rows
            .iter()
            .map(|row| {
                let a = self.activity(row, values);
                let scale = 1.0 + row.lower.abs().min(row.upper.abs());
                (
                    row.con,
                    ((row.lower - a) / scale).max((a - row.upper) / scale),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The largest violation of a bound, a row or integrality by `values` (0 when feasible).
    pub fn max_violation(&self, values: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for (c, v) in self.columns.iter().zip(values) {
            worst = worst.max(c.lower - v).max(v - c.upper);
            if c.integer {
                worst = worst.max((v - v.round()).abs());
            }
        }
        for row in &self.rows {
            let a = self.activity(row, values);
            let scale = 1.0 + row.lower.abs().min(row.upper.abs());
            worst = worst
                .max((row.lower - a) / scale)
                .max((a - row.upper) / scale);
        }
        worst
    }

    /// The model in CPLEX LP format, with names that say what each column and row is.
    pub fn to_lp(
        &self,
        names: &dyn Fn(Var) -> String,
        row_names: &dyn Fn(Con) -> String,
    ) -> String {
        let col_names: Vec<String> = self.columns.iter().map(|c| names(c.var)).collect();
        let mut out = String::new();
        out.push_str("\\ Written by roadmap optimize --export-lp\n");
        if self.offset != 0.0 {
            // Not every LP reader takes a constant in the objective; a comment keeps the file
            // readable by all of them.
            let _ = writeln!(
                out,
                "\\ The objective below leaves out a constant of {}: money every plan pays (teams whose cost is fixed)",
                number(self.offset)
            );
        }
        // LP readers number the columns in the order they first meet them: every column is in
        // the objective, at 0 where it earns nothing, so that a reader holds them in the
        // optimizer's order and searches the very model `optimize` hands HiGHS. In another
        // order HiGHS takes another path: 0.1 to 1.6 times the time on the NRP instances.
        out.push_str(
            "\\ Every column is in the objective, at 0 where it earns nothing, to keep their order\n",
        );
        out.push_str("Maximize\n obj:");
        let objective: Vec<(u32, f64)> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u32, c.objective))
            .collect();
        write_terms(&mut out, &objective, &col_names);
        out.push_str("\nSubject To\n");
        for row in &self.rows {
            let name = row_names(row.con);
            let entries: Vec<(u32, f64)> = self.entries(row).collect();
            let mut emit = |suffix: &str, sense: &str, rhs: f64| {
                let _ = write!(out, " {name}{suffix}:");
                if entries.is_empty() {
                    // LP files need a term on the left: a zero times any column.
                    out.push_str(" 0 ");
                    out.push_str(col_names.first().map_or("x", |s| s.as_str()));
                } else {
                    write_terms(&mut out, &entries, &col_names);
                }
                let _ = writeln!(out, " {sense} {}", number(rhs));
            };
            if row.lower == row.upper {
                emit("", "=", row.lower);
            } else {
                let both = row.lower.is_finite() && row.upper.is_finite();
                if row.lower.is_finite() {
                    emit(if both { "_lo" } else { "" }, ">=", row.lower);
                }
                if row.upper.is_finite() {
                    emit(if both { "_hi" } else { "" }, "<=", row.upper);
                }
            }
        }
        out.push_str("Bounds\n");
        for (c, name) in self.columns.iter().zip(&col_names) {
            let lower = if c.lower.is_finite() {
                number(c.lower)
            } else {
                "-inf".to_string()
            };
            let upper = if c.upper.is_finite() {
                number(c.upper)
            } else {
                "+inf".to_string()
            };
            let _ = writeln!(out, " {lower} <= {name} <= {upper}");
        }
        let integers: Vec<&String> = self
            .columns
            .iter()
            .zip(&col_names)
            .filter(|(c, _)| c.integer)
            .map(|(_, n)| n)
            .collect();
        if !integers.is_empty() {
            out.push_str("Generals\n");
            for chunk in integers.chunks(4) {
                out.push(' ');
                out.push_str(
                    &chunk
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                out.push('\n');
            }
        }
        out.push_str("End\n");
        out
    }
}

/// Terms on lines short enough for every LP reader (some stop at 255 characters).
fn write_terms(out: &mut String, terms: &[(u32, f64)], names: &[String]) {
    let mut line = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
    for (i, &(c, a)) in terms.iter().enumerate() {
        let sign = if a < 0.0 { "-" } else { "+" };
        let term = if i == 0 && a >= 0.0 {
            format!(" {} {}", number(a.abs()), names[c as usize])
        } else {
            format!(" {sign} {} {}", number(a.abs()), names[c as usize])
        };
        if line + term.len() > 160 {
            out.push_str("\n  ");
            line = 0;
        }
        line += term.len();
        out.push_str(&term);
    }
}

/// Full precision, no exponent surprises: LP readers take `1e-05` and `12.5` alike.
fn number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_merge_repeated_columns_and_drop_zeros() {
        let mut m = Milp::default();
        let a = m.add_column(Var::Threshold, 0.0, 1.0, false);
        let b = m.add_column(Var::Shortfall { scenario: 0 }, 0.0, 1.0, true);
        m.add_row(
            Con::Budget,
            f64::NEG_INFINITY,
            1.0,
            &[(a, 1.0), (b, 0.0), (a, 2.0)],
        );
        assert_eq!(m.cols, vec![a]);
        assert_eq!(m.coefs, vec![3.0]);
        assert!(m.max_violation(&[1.0 / 3.0, 1.0]) < 1e-12);
        assert!((m.max_violation(&[1.0, 0.5]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn numbers_print_exactly() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(-0.5), "-5e-1");
        assert_eq!(number(0.1).parse::<f64>().unwrap(), 0.1);
    }
}
