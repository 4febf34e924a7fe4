//! A reader over the spanned TOML tree that records every problem instead of stopping
//! at the first, and knows each value's field path and line:column.

use super::finding::{did_you_mean, Finding, Findings, Location};
use super::source::SourceFile;
use crate::model::dist::fmt_num;
use crate::model::{Dist, Input, InputId};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub type Node<'i> = Spanned<DeValue<'i>>;

/// One of the reader's number methods, such as [`Reader::number`], taking an example value.
type ReadNumber<'s> = fn(&mut Reader<'s>, &Node, &str, &str) -> Option<f64>;

/// What values an uncertain number may take; checked on every distribution's support.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Domain {
    /// Efforts, capacities, costs, demand, prices, durations.
    NonNegative,
    /// Shares and probabilities: [0, 1].
    Fraction,
    /// Anything, of either sign.
    Any,
    /// `capacity_factor`: a multiplier of capacity, at least 0 and at most 2. More than double
    /// the stated person-weeks in every period is no team's reality; it is a percentage typed
    /// as a number (`80` for 0.8), so it is an error rather than a warning.
    CapacityFactor,
    /// `growth`: a fraction per month, from -1 (all demand gone) to 1 (doubling every month).
    /// Above 1 is a percentage typed as a number (`2` for 2%): over a 36-month horizon it
    /// multiplies demand by 3^36, so it is an error rather than a warning.
    MonthlyGrowth,
}

pub struct Reader<'s> {
    pub source: &'s SourceFile,
    pub findings: Findings,
    pub inputs: Vec<Input>,
    /// `(section, id)` of every item that has an id, even if the rest of it was invalid, so
    /// that references to it are not reported as unknown on top of its own problem.
    pub declared: std::collections::HashSet<(String, String)>,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s SourceFile) -> Self {
        Reader {
            source,
            findings: Findings::default(),
            inputs: Vec::new(),
            declared: Default::default(),
        }
    }

    pub fn loc(&self, node: &Node) -> Location {
        self.source.location(node.span().start)
    }

    pub fn error(
        &mut self,
        at: &Node,
        field: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let loc = self.loc(at);
        self.findings
            .push(Finding::error(loc, field, message).help(help));
    }

    pub fn warning(
        &mut self,
        at: &Node,
        field: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let loc = self.loc(at);
        self.findings
            .push(Finding::warning(loc, field, message).help(help));
    }

    /// Reports a value of the wrong type at `node`: `expected` names what the field takes,
    /// `help` how to write it.
    pub fn mismatch(&mut self, node: &Node, path: &str, expected: &str, help: impl Into<String>) {
        let found = type_name(node.get_ref());
        self.error(
            node,
            path,
            format!("expected {expected}, found {found}"),
            help,
        );
    }

    /// Reports every key of `table` that is not in `allowed`, with the closest allowed key.
    pub fn check_keys(&mut self, table: &DeTable, path: &str, allowed: &[&str]) {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let loc = self.source.location(key.span().start);
                let field = join(path, name);
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("allowed fields here: {}", allowed.join(", ")),
                };
                self.findings
                    .push(Finding::error(loc, field, format!("unknown field `{name}`")).help(help));
            }
        }
    }

    pub fn table<'a, 'i>(
        &mut self,
        node: &'a Node<'i>,
        path: &str,
        what: &str,
    ) -> Option<&'a DeTable<'i>> {
        match node.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.mismatch(node, path, "a table", format!("write {what}"));
                None
            }
        }
    }

    pub fn array<'a, 'i>(
        &mut self,
        node: &'a Node<'i>,
        path: &str,
        what: &str,
    ) -> Option<&'a [Node<'i>]> {
        match node.get_ref() {
            DeValue::Array(a) => Some(a),
            _ => {
                self.mismatch(node, path, "a list", format!("write {what}"));
                None
            }
        }
    }

    pub fn string(&mut self, node: &Node, path: &str, example: &str) -> Option<String> {
        match node.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.mismatch(
                    node,
                    path,
                    "text",
                    format!("put the value in quotes, e.g. {example}"),
                );
                None
            }
        }
    }

    /// A finite number (integer or float).
    pub fn number(&mut self, node: &Node, path: &str, example: &str) -> Option<f64> {
        let value = match node.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|v| v as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => {
                self.mismatch(
                    node,
                    path,
                    "a number",
                    format!("write a number, e.g. {example}"),
                );
                return None;
            }
        };
        match value {
            Some(v) if v.is_finite() => Some(v),
            _ => {
                self.error(
                    node,
                    path,
                    "the number is not finite (nan or inf)",
                    format!("write a finite number, e.g. {example}"),
                );
                None
            }
        }
    }

    pub fn non_negative(&mut self, node: &Node, path: &str, example: &str) -> Option<f64> {
        let v = self.number(node, path, example)?;
        if v < 0.0 {
            self.error(
                node,
                path,
                format!("must not be negative, got {}", fmt_num(v)),
                format!("write zero or a positive number, e.g. {example}"),
            );
            return None;
        }
        Some(v)
    }

    /// A number, or a percentage written as text (`"80%"`) as sheets and the backlog CSV
    /// write shares; `None` after reporting a problem.
    pub fn number_or_percentage(&mut self, node: &Node, path: &str, example: &str) -> Option<f64> {
        let DeValue::String(text) = node.get_ref() else {
            return self.number(node, path, example);
        };
        let share = super::numbers::share_text(text);
        if share.is_none() {
            self.error(
                node,
                path,
                format!("`{text}` is neither a number nor a percentage"),
                format!(
                    "write a fraction such as {example}, or a percentage in quotes such as \"{}%\"",
                    fmt_num(example.parse::<f64>().unwrap_or(0.0) * 100.0)
                ),
            );
        }
        share
    }

    /// A share: a fraction from 0 to 1 (`0.8`) or a percentage (`"80%"`).
    pub fn fraction(&mut self, node: &Node, path: &str, example: &str) -> Option<f64> {
        let v = self.number_or_percentage(node, path, example)?;
        if !(0.0..=1.0).contains(&v) {
            self.error(
                node,
                path,
                format!("must be between 0 and 1, got {}", fmt_num(v)),
                share_help(v, example),
            );
            return None;
        }
        Some(v)
    }

    pub fn positive_integer(&mut self, node: &Node, path: &str, example: &str) -> Option<u64> {
        match node.get_ref() {
            DeValue::Integer(i) => match u64::from_str_radix(i.as_str(), i.radix()) {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    self.error(
                        node,
                        path,
                        format!("must be a whole number of at least 1, got {i}"),
                        format!("e.g. {example}"),
                    );
                    None
                }
            },
            _ => {
                self.mismatch(
                    node,
                    path,
                    "a whole number",
                    format!("write a whole number without quotes or decimals, e.g. {example}"),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        match node.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.mismatch(
                    node,
                    path,
                    "true or false",
                    "write true or false, without quotes",
                );
                None
            }
        }
    }

    /// A list of ids; a single string is accepted as a list of one.
    pub fn string_list(
        &mut self,
        node: &Node,
        path: &str,
        example: &str,
    ) -> Vec<(String, Location)> {
        match node.get_ref() {
            DeValue::String(s) => vec![(s.to_string(), self.loc(node))],
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let p = format!("{path}[{i}]");
                    let s = self.string(item, &p, example)?;
                    Some((s, self.loc(item)))
                })
                .collect(),
            _ => {
                self.mismatch(node, path, "a list of ids", format!("write e.g. {example}"));
                Vec::new()
            }
        }
    }

    /// Registers an uncertain input under its field path and returns its id.
    pub fn register(&mut self, path: &str, dist: Dist) -> InputId {
        self.inputs.push(Input {
            name: path.to_string(),
            dist,
        });
        InputId((self.inputs.len() - 1) as u32)
    }

    /// Reads an uncertain number and registers it; `None` after reporting a problem.
    pub fn uncertain_input(
        &mut self,
        node: &Node,
        path: &str,
        domain: Domain,
        example: &str,
    ) -> Option<InputId> {
        let dist = self.uncertain(node, path, domain, example)?;
        Some(self.register(path, dist))
    }

    /// Reads an uncertain number: a constant, `[low, likely, high]` (PERT), or a table
    /// naming the distribution (`pert`, `triangular`, `uniform`, `normal`, `lognormal`, `discrete`).
    pub fn uncertain(
        &mut self,
        node: &Node,
        path: &str,
        domain: Domain,
        example: &str,
    ) -> Option<Dist> {
        let dist = match node.get_ref() {
            DeValue::Integer(_) | DeValue::Float(_) => {
                Dist::constant(self.number(node, path, example)?)
            }
            DeValue::Array(items) => {
                self.three_point(node, items, path, "three-point", example, ThreePoint::Pert)?
            }
            DeValue::Table(table) => self.named_dist(node, table, path, example)?,
            _ => {
                self.mismatch(node, path, "a number or an estimate", format!("write a number ({example}), a three-point estimate [low, likely, high], or a table such as {{ uniform = [1, 3] }}"));
                return None;
            }
        };
        self.check_domain(node, path, domain, &dist)?;
        Some(dist)
    }

    fn numbers(&mut self, items: &[Node], path: &str, example: &str) -> Option<Vec<f64>> {
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.number(item, &format!("{path}[{i}]"), example) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn three_point(
        &mut self,
        node: &Node,
        items: &[Node],
        path: &str,
        what: &str,
        example: &str,
        kind: ThreePoint,
    ) -> Option<Dist> {
        if items.len() != 3 {
            let given = self.numbers(items, path, example).unwrap_or_default();
            let help = match given.as_slice() {
                [v] => format!(
                    "for a known number write it without brackets: {}",
                    fmt_num(*v)
                ),
                [a, b] => format!(
                    "add the most likely value between them, e.g. [{}, {}, {}]",
                    fmt_num(a.min(*b)),
                    fmt_num((a + b) / 2.0),
                    fmt_num(a.max(*b))
                ),
                _ => "write [low, likely, high], e.g. [3, 5, 9]".to_string(),
            };
            self.error(
                node,
                path,
                format!(
                    "a {what} estimate has exactly three numbers [low, likely, high], found {}",
                    items.len()
                ),
                help,
            );
            return None;
        }
        let v = self.numbers(items, path, example)?;
        let (low, likely, high) = (v[0], v[1], v[2]);
        if let Err((problem, help)) = check_three_point(low, likely, high) {
            self.error(node, path, problem, help);
            return None;
        }
        Some(match kind {
            _ if low == high => Dist::constant(low),
            ThreePoint::Pert => Dist::Pert { low, likely, high },
            ThreePoint::Triangular => Dist::Triangular { low, likely, high },
        })
    }

    fn named_dist(
        &mut self,
        node: &Node,
        table: &DeTable,
        path: &str,
        example: &str,
    ) -> Option<Dist> {
        if table.len() != 1 {
            self.error(
                node,
                path,
                format!(
                    "a distribution table names exactly one distribution, found {} keys",
                    table.len()
                ),
                "write e.g. { triangular = [2, 3, 6] } or { lognormal = { p10 = 300, p90 = 700 } }",
            );
            return None;
        }
        let (key, value) = table.iter().next()?;
        let kind = key.get_ref().as_ref();
        let inner = format!("{path}.{kind}");
        match kind {
            "pert" | "triangular" => {
                let items = self.array(value, &inner, "[low, likely, high]")?;
                let shape = if kind == "pert" {
                    ThreePoint::Pert
                } else {
                    ThreePoint::Triangular
                };
                self.three_point(value, items, &inner, kind, example, shape)
            }
            "uniform" => self.uniform(value, &inner, example),
            "normal" => self.normal(value, &inner),
            "lognormal" => self.lognormal(value, &inner),
            "discrete" => self.discrete(value, &inner),
            other => {
                let loc = self.source.location(key.span().start);
                self.unknown_dist(loc, inner, other);
                None
            }
        }
    }

    /// `{ uniform = [low, high] }`.
    fn uniform(&mut self, value: &Node, inner: &str, example: &str) -> Option<Dist> {
        let items = self.array(value, inner, "[low, high]")?;
        if items.len() != 2 {
            self.error(
                value,
                inner,
                format!(
                    "a uniform range has two numbers [low, high], found {}",
                    items.len()
                ),
                "e.g. { uniform = [2, 5] }",
            );
            return None;
        }
        let v = self.numbers(items, inner, example)?;
        if v[0] > v[1] {
            self.error(
                value,
                inner,
                format!(
                    "low ({}) is greater than high ({})",
                    fmt_num(v[0]),
                    fmt_num(v[1])
                ),
                format!("write [{}, {}]", fmt_num(v[1]), fmt_num(v[0])),
            );
            return None;
        }
        Some(if v[0] == v[1] {
            Dist::constant(v[0])
        } else {
            Dist::Uniform {
                low: v[0],
                high: v[1],
            }
        })
    }

    /// `{ normal = { mean, sd } }`.
    fn normal(&mut self, value: &Node, inner: &str) -> Option<Dist> {
        let t = self.table(value, inner, "{ mean = 10, sd = 2 }")?;
        self.check_keys(t, inner, &["mean", "sd"]);
        let (mean, sd) = self.parameters(
            value,
            t,
            inner,
            ("mean", "10", Self::number),
            ("sd", "2", Self::non_negative),
        )?;
        Some(if sd == 0.0 {
            Dist::constant(mean)
        } else {
            Dist::Normal { mean, sd }
        })
    }

    /// `{ lognormal = { p10, p90 } }` or `{ lognormal = { mean, sd } }`, not a mix of the two.
    fn lognormal(&mut self, value: &Node, inner: &str) -> Option<Dist> {
        let t = self.table(
            value,
            inner,
            "{ p10 = 300, p90 = 700 } or { mean = 500, sd = 150 }",
        )?;
        self.check_keys(t, inner, &["p10", "p90", "mean", "sd"]);
        let has = |k: &str| t.get(k).is_some();
        if !(has("p10") || has("p90")) {
            return self.lognormal_mean_sd(value, t, inner);
        }
        if has("mean") || has("sd") {
            self.error(
                value,
                inner,
                "give either p10 and p90, or mean and sd, not both",
                "keep one pair, e.g. { p10 = 300, p90 = 700 }",
            );
            return None;
        }
        let (p10, p90) = self.parameters(
            value,
            t,
            inner,
            ("p10", "300", Self::number),
            ("p90", "700", Self::number),
        )?;
        if !(p10 > 0.0 && p10 < p90) {
            self.error(value, inner, format!("needs 0 < p10 < p90, got p10 = {} and p90 = {}", fmt_num(p10), fmt_num(p90)), "a lognormal is positive and its 10th percentile lies below its 90th, e.g. { p10 = 300, p90 = 700 }");
            return None;
        }
        Some(Dist::lognormal_from_p10_p90(p10, p90))
    }

    fn lognormal_mean_sd(&mut self, value: &Node, t: &DeTable, inner: &str) -> Option<Dist> {
        let (mean, sd) = self.parameters(
            value,
            t,
            inner,
            ("mean", "500", Self::number),
            ("sd", "150", Self::non_negative),
        )?;
        if mean <= 0.0 {
            self.error(
                value,
                inner,
                format!("a lognormal's mean must be positive, got {}", fmt_num(mean)),
                "use a normal for quantities that can be zero or negative",
            );
            return None;
        }
        Some(if sd == 0.0 {
            Dist::constant(mean)
        } else {
            Dist::lognormal_from_mean_sd(mean, sd)
        })
    }

    /// `{ discrete = { values, probabilities } }`: one probability per value, summing to 1.
    fn discrete(&mut self, value: &Node, inner: &str) -> Option<Dist> {
        let t = self.table(
            value,
            inner,
            "{ values = [0, 10], probabilities = [0.7, 0.3] }",
        )?;
        self.check_keys(t, inner, &["values", "probabilities"]);
        let ex = "{ values = [0, 10], probabilities = [0.7, 0.3] }";
        let values = self.required(value, t, inner, "values", ex, |r, n, p| {
            let items = r.array(n, p, "[0, 10, 20]")?;
            r.numbers(items, p, "10")
        });
        let probabilities = self.required(value, t, inner, "probabilities", ex, |r, n, p| {
            let items = r.array(n, p, "[0.5, 0.3, 0.2]")?;
            r.numbers(items, p, "0.5")
        });
        let (values, probabilities) = (values?, probabilities?);
        if values.is_empty() || values.len() != probabilities.len() {
            self.error(value, inner, format!("{} values but {} probabilities", values.len(), probabilities.len()), "give one probability per value, e.g. { values = [0, 10], probabilities = [0.7, 0.3] }");
            return None;
        }
        if let Some(p) = probabilities.iter().find(|p| !(0.0..=1.0).contains(*p)) {
            self.error(
                value,
                &format!("{inner}.probabilities"),
                format!("probability {} is outside [0, 1]", fmt_num(*p)),
                "write each probability as a fraction between 0 and 1",
            );
            return None;
        }
        let total: f64 = probabilities.iter().sum();
        if (total - 1.0).abs() > 1e-6 {
            self.error(
                value,
                &format!("{inner}.probabilities"),
                format!("probabilities add up to {}, not 1", fmt_num(total)),
                "make the probabilities sum to exactly 1",
            );
            return None;
        }
        Some(Dist::Discrete {
            values,
            probabilities,
        })
    }

    /// A distribution key that is none of the known ones, reported at the key.
    fn unknown_dist(&mut self, loc: Location, inner: String, other: &str) {
        const KINDS: [&str; 6] = [
            "pert",
            "triangular",
            "uniform",
            "normal",
            "lognormal",
            "discrete",
        ];
        let key_node_help = match did_you_mean(other, KINDS) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known distributions: {}", KINDS.join(", ")),
        };
        self.findings.push(
            Finding::error(loc, inner, format!("unknown distribution `{other}`"))
                .help(key_node_help),
        );
    }

    /// Reads a required key of `table`, reporting its absence at the table.
    pub fn required<T>(
        &mut self,
        at: &Node,
        table: &DeTable,
        path: &str,
        key: &str,
        example: &str,
        read: impl FnOnce(&mut Self, &Node, &str) -> Option<T>,
    ) -> Option<T> {
        match table.get(key) {
            Some(node) => read(self, node, &join(path, key)),
            None => {
                self.error(
                    at,
                    &join(path, key),
                    format!("missing required field `{key}`"),
                    format!("add it, e.g. {example}"),
                );
                None
            }
        }
    }

    /// Reads an optional key of `table`; `None` when absent or invalid (already reported).
    pub fn optional<T>(
        &mut self,
        table: &DeTable,
        path: &str,
        key: &str,
        read: impl FnOnce(&mut Self, &Node, &str) -> Option<T>,
    ) -> Option<T> {
        let node = table.get(key)?;
        read(self, node, &join(path, key))
    }

    /// Reads the two numbers of a distribution's parameter table, such as
    /// `{ mean = 10, sd = 2 }`: each is given as its key, an example value and how it is read.
    /// Both are read before giving up, so that one run reports a problem with each.
    fn parameters(
        &mut self,
        at: &Node,
        table: &DeTable,
        path: &str,
        first: (&str, &str, ReadNumber<'s>),
        second: (&str, &str, ReadNumber<'s>),
    ) -> Option<(f64, f64)> {
        let example = format!(
            "{{ {} = {}, {} = {} }}",
            first.0, first.1, second.0, second.1
        );
        let mut read = |(key, value, read): (&str, &str, ReadNumber<'s>)| {
            self.required(at, table, path, key, &example, |r, n, p| {
                read(r, n, p, value)
            })
        };
        let first = read(first);
        let second = read(second);
        Some((first?, second?))
    }

    fn check_domain(&mut self, node: &Node, path: &str, domain: Domain, dist: &Dist) -> Option<()> {
        match domain_problem(domain, dist) {
            Some((message, help)) => {
                self.error(node, path, message, help);
                None
            }
            None => Some(()),
        }
    }
}

/// What is wrong with `dist` as the value of a field with `domain`, and how to fix it; `None`
/// when it fits. Files and command-line overrides are held to the same rules.
pub fn domain_problem(domain: Domain, dist: &Dist) -> Option<(String, String)> {
    let (lo, hi) = match domain {
        Domain::Any => return None,
        Domain::NonNegative => (0.0, f64::INFINITY),
        Domain::Fraction => (0.0, 1.0),
        Domain::CapacityFactor => return capacity_factor_problem(dist),
        Domain::MonthlyGrowth => return growth_problem(dist),
    };
    if let (Dist::LogNormal { mu, sigma }, Domain::Fraction) = (dist, domain) {
        // A lognormal is unbounded above; as a share it is acceptable when it stays below 1
        // at least 99% of the time.
        let p99 = (mu + 2.326_347_874 * sigma).exp();
        if p99 > hi {
            return Some((
                format!(
                    "this lognormal exceeds 1 more than 1% of the time (its 99th percentile is {})",
                    fmt_num(p99)
                ),
                "use a three-point estimate within [0, 1], e.g. [0.01, 0.02, 0.04]".into(),
            ));
        }
        return None;
    }
    if let Dist::Normal { mean, sd } = dist {
        // A normal always has some mass below zero; allow it only where that mass is negligible.
        let p01 = mean - 2.326_347_874 * sd;
        if p01 < lo {
            return Some((
                format!(
                    "a normal with mean {} and sd {} goes below {} more than 1% of the time",
                    fmt_num(*mean),
                    fmt_num(*sd),
                    fmt_num(lo)
                ),
                if domain == Domain::Fraction {
                    "use a three-point estimate within [0, 1], e.g. [0.01, 0.02, 0.04]".into()
                } else {
                    "use a three-point estimate or a lognormal for quantities that cannot be negative".into()
                },
            ));
        }
        if domain == Domain::Fraction && mean + 2.326_347_874 * sd > hi {
            return Some((
                "a normal here exceeds 1 more than 1% of the time".to_string(),
                "use a three-point estimate within [0, 1]".into(),
            ));
        }
        return None;
    }
    if dist.min() < lo || dist.max() > hi {
        let (what, help) = match domain {
            Domain::Fraction => (
                "must lie between 0 and 1",
                "write a share as a fraction, e.g. 0.05 for 5%",
            ),
            _ => ("must not be negative", "use zero or positive values"),
        };
        let help = match dist {
            Dist::Constant { value } if domain == Domain::Fraction => share_help(*value, "0.05"),
            _ => help.to_string(),
        };
        let message = match dist {
            Dist::Constant { value } => format!("{what}, got {}", fmt_num(*value)),
            _ => {
                let reach = if dist.min() < lo {
                    dist.min()
                } else {
                    dist.max()
                };
                format!("{what}, but {} reaches {}", dist.describe(), fmt_num(reach))
            }
        };
        return Some((message, help));
    }
    None
}

/// The largest factor a capacity can plausibly be multiplied by: double, for overtime.
pub const MAX_CAPACITY_FACTOR: f64 = 2.0;

/// z such that Phi(z) = 0.99: unbounded distributions are judged by their 1% tails.
const Z99: f64 = 2.326_347_874;

/// The value a distribution exceeds only 1% of the time (its maximum when it has one).
fn high_end(dist: &Dist) -> f64 {
    match dist {
        Dist::Normal { mean, sd } => mean + Z99 * sd,
        Dist::LogNormal { mu, sigma } => (mu + Z99 * sigma).exp(),
        _ => dist.max(),
    }
}

/// The value a distribution falls below only 1% of the time (its minimum when it has one).
fn low_end(dist: &Dist) -> f64 {
    match dist {
        Dist::Normal { mean, sd } => mean - Z99 * sd,
        _ => dist.min(),
    }
}

fn capacity_factor_problem(dist: &Dist) -> Option<(String, String)> {
    if let Some(problem) = domain_problem(Domain::NonNegative, dist) {
        return Some(problem);
    }
    let high = high_end(dist);
    if high <= MAX_CAPACITY_FACTOR {
        return None;
    }
    let message = match dist {
        Dist::Constant { value } => format!(
            "a capacity factor of {} would give the team {} times its stated capacity",
            fmt_num(*value),
            fmt_num(*value)
        ),
        _ => format!(
            "a capacity factor of {} would give the team up to {} times its stated capacity",
            dist.describe(),
            fmt_num(high)
        ),
    };
    // Ten or more reads as a percentage; a smaller slip (3 for 0.3?) is not guessed at.
    let help = if high >= 10.0 {
        format!(
            "the factor is a multiplier, not a percentage: did you mean {}?",
            as_written(&dist.scaled(0.01))
        )
    } else {
        "the factor is the share of capacity left after support load and attrition, e.g. [0.8, 0.9, 1.0]; above 1 means overtime, at most 2".to_string()
    };
    Some((message, help))
}

fn growth_problem(dist: &Dist) -> Option<(String, String)> {
    let (low, high) = (low_end(dist), high_end(dist));
    if high > 1.0 {
        let message = match dist {
            Dist::Constant { value } => format!(
                "a growth of {} a month would multiply demand by {} every month",
                fmt_num(*value),
                fmt_num(1.0 + value)
            ),
            _ => format!(
                "a growth of {} a month would multiply demand by up to {} every month",
                dist.describe(),
                fmt_num(1.0 + high)
            ),
        };
        let help = format!(
            "growth is a fraction per month, not a percentage: did you mean {}? (0.02 = 2% a month)",
            as_written(&dist.scaled(0.01))
        );
        return Some((message, help));
    }
    if low < -1.0 {
        let message = match dist {
            Dist::Constant { value } => format!(
                "a growth of {} a month would make demand negative",
                fmt_num(*value)
            ),
            _ => format!(
                "a growth of {} a month reaches {}, which would make demand negative",
                dist.describe(),
                fmt_num(low)
            ),
        };
        return Some((
            message,
            "growth is a fraction per month: -0.02 for 2% less demand each month, -1 at the very least".to_string(),
        ));
    }
    None
}

/// How to write a share that came out of range, e.g. 80 for a confidence.
pub fn share_help(value: f64, example: &str) -> String {
    // A value of 2 or more reads as a percentage; just above 1 it may be a typo of anything.
    if (2.0..=100.0).contains(&value) {
        format!(
            "write a share as a fraction: {} for {}%",
            fmt_num(value / 100.0),
            fmt_num(value)
        )
    } else {
        format!(
            "write a share as a fraction, e.g. {example} for {}%",
            fmt_num(example.parse::<f64>().unwrap_or(0.0) * 100.0)
        )
    }
}

/// A distribution the way it is written in a scenario file, for "did you mean" suggestions.
pub fn as_written(dist: &Dist) -> String {
    let list = |values: &[f64]| {
        values
            .iter()
            .map(|v| fmt_num(*v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match dist {
        Dist::Constant { value } => fmt_num(*value),
        Dist::Pert { low, likely, high } => format!("[{}]", list(&[*low, *likely, *high])),
        Dist::Triangular { low, likely, high } => {
            format!("{{ triangular = [{}] }}", list(&[*low, *likely, *high]))
        }
        Dist::Uniform { low, high } => format!("{{ uniform = [{}] }}", list(&[*low, *high])),
        Dist::Normal { mean, sd } => format!(
            "{{ normal = {{ mean = {}, sd = {} }} }}",
            fmt_num(*mean),
            fmt_num(*sd)
        ),
        Dist::LogNormal { mu, sigma } => {
            let z = crate::model::dist::Z90 * sigma;
            format!(
                "{{ lognormal = {{ p10 = {}, p90 = {} }} }}",
                fmt_num((mu - z).exp()),
                fmt_num((mu + z).exp())
            )
        }
        Dist::Discrete {
            values,
            probabilities,
        } => format!(
            "{{ discrete = {{ values = [{}], probabilities = [{}] }} }}",
            list(values),
            list(probabilities)
        ),
    }
}

#[derive(Clone, Copy)]
enum ThreePoint {
    Pert,
    Triangular,
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// low <= likely <= high, or what is wrong and the estimate reordered as a fix.
pub fn check_three_point(low: f64, likely: f64, high: f64) -> Result<(), (String, String)> {
    if low <= likely && likely <= high {
        return Ok(());
    }
    let problem = if low > high {
        format!(
            "low ({}) is greater than high ({})",
            fmt_num(low),
            fmt_num(high)
        )
    } else if low > likely {
        format!(
            "low ({}) is greater than likely ({})",
            fmt_num(low),
            fmt_num(likely)
        )
    } else {
        format!(
            "likely ({}) is greater than high ({})",
            fmt_num(likely),
            fmt_num(high)
        )
    };
    let mut sorted = [low, likely, high];
    sorted.sort_by(f64::total_cmp);
    let help = format!(
        "order the estimate as [low, likely, high], e.g. [{}, {}, {}]",
        fmt_num(sorted[0]),
        fmt_num(sorted[1]),
        fmt_num(sorted[2])
    );
    Err((problem, help))
}
