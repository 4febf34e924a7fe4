//! Import of Next Release Problem instances (Bagnall et al. 2001; Xuan et al. 2012).
//!
//! The scenario written has exactly the NRP's optimum: one period, one team whose
//! capacity is the budget, requirement costs as constant efforts at no cost per week,
//! customers as one-off deals, prerequisites as `requires`, no discounting.

use super::finding::{Finding, Location};
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub struct NrpInstance {
    pub costs: Vec<u64>,
    /// (prerequisite, dependent), 0-based: the dependent requires the prerequisite.
    pub dependencies: Vec<(usize, usize)>,
    pub customers: Vec<NrpCustomer>,
    pub levels: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NrpCustomer {
    pub profit: u64,
    pub requests: Vec<usize>,
}

impl NrpInstance {
    pub fn total_cost(&self) -> u64 {
        self.costs.iter().sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    Floor,
    Nearest,
}

/// A decimal budget ratio held exactly as numerator / 10^k, so 0.7 x 10700 is 7490.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    numerator: u128,
    denominator: u128,
}

impl Ratio {
    pub fn parse(text: &str) -> Result<Ratio, String> {
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let valid = !(whole.is_empty() && frac.is_empty())
            && whole
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
            && frac.len() <= 18;
        if !valid {
            return Err(format!("`{text}` is not a decimal number such as 0.3"));
        }
        let denominator = 10u128.pow(frac.len() as u32);
        let numerator = format!("{whole}{frac}")
            .parse::<u128>()
            .map_err(|_| format!("`{text}` is too large"))?;
        if numerator == 0 || numerator > denominator {
            return Err(format!("the budget ratio must be in (0, 1], got {text}"));
        }
        Ok(Ratio {
            numerator,
            denominator,
        })
    }

    /// ratio x total, rounded as asked, in exact integer arithmetic.
    pub fn apply(&self, total: u64, rounding: Rounding) -> u64 {
        let product = self.numerator * total as u128;
        let rounded = match rounding {
            Rounding::Floor => product / self.denominator,
            Rounding::Nearest => (2 * product + self.denominator) / (2 * self.denominator),
        };
        rounded as u64
    }
}

/// Parses the whitespace-separated integer stream of an NRP file.
pub fn parse(file: &str, text: &str) -> Result<NrpInstance, Finding> {
    let mut tokens = Tokens { file, text, pos: 0 };
    let levels = tokens.next("the number of requirement levels")? as usize;
    let mut costs = Vec::new();
    for level in 0..levels {
        let n = tokens.next(&format!(
            "the number of requirements in level {}",
            level + 1
        ))?;
        for _ in 0..n {
            costs.push(tokens.next("a requirement cost")?);
        }
    }
    let n = costs.len();
    let d = tokens.next("the number of dependency pairs")?;
    let mut dependencies = Vec::new();
    for _ in 0..d {
        let a = tokens.id("a prerequisite requirement id", n)?;
        let b = tokens.id("a dependent requirement id", n)?;
        dependencies.push((a, b));
    }
    let m = tokens.next("the number of customers")?;
    let mut customers = Vec::new();
    for c in 0..m {
        let profit = tokens.next(&format!("the profit of customer {}", c + 1))?;
        let q = tokens.next(&format!("the request count of customer {}", c + 1))?;
        let mut requests = Vec::new();
        for _ in 0..q {
            requests.push(tokens.id(
                &format!("a requirement id requested by customer {}", c + 1),
                n,
            )?);
        }
        customers.push(NrpCustomer { profit, requests });
    }
    if let Some((offset, token)) = tokens.peek() {
        return Err(tokens.error(
            offset,
            format!("unexpected data after the last customer: `{token}`"),
            "an NRP file ends after its customers; is this an annotated example file?",
        ));
    }
    Ok(NrpInstance {
        costs,
        dependencies,
        customers,
        levels,
    })
}

struct Tokens<'a> {
    file: &'a str,
    text: &'a str,
    pos: usize,
}

impl Tokens<'_> {
    fn peek(&self) -> Option<(usize, &str)> {
        let rest = &self.text[self.pos..];
        let start = rest.find(|c: char| !c.is_whitespace())?;
        let len = rest[start..]
            .find(char::is_whitespace)
            .unwrap_or(rest.len() - start);
        Some((self.pos + start, &rest[start..start + len]))
    }

    fn error(&self, offset: usize, message: String, help: &str) -> Finding {
        let line = self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        Finding::error(
            Location {
                file: self.file.to_string(),
                line,
                column: 0,
            },
            "",
            message,
        )
        .help(help)
    }

    fn next(&mut self, what: &str) -> Result<u64, Finding> {
        let Some((offset, token)) = self.peek() else {
            return Err(self.error(
                self.text.len(),
                format!("the file ends where {what} should be"),
                "the file is truncated or not an NRP instance",
            ));
        };
        let value = token.parse::<u64>().map_err(|_| {
            self.error(
                offset,
                format!("expected {what}, found `{token}`"),
                "an NRP file holds only non-negative integers",
            )
        })?;
        self.pos = offset + token.len();
        Ok(value)
    }

    fn id(&mut self, what: &str, n: usize) -> Result<usize, Finding> {
        let offset = self.peek().map_or(self.text.len(), |p| p.0);
        let v = self.next(what)? as usize;
        if v == 0 || v > n {
            return Err(self.error(
                offset,
                format!("{what} is {v}, outside 1..{n}"),
                "requirement ids are 1-based and run across all levels",
            ));
        }
        Ok(v - 1)
    }
}

/// The scenario TOML for an instance at a budget.
pub fn to_scenario(
    name: &str,
    instance: &NrpInstance,
    ratio_text: &str,
    rounding: Rounding,
    budget: u64,
) -> String {
    let mut out = String::new();
    let total = instance.total_cost();
    let rounding_name = match rounding {
        Rounding::Floor => "floor",
        Rounding::Nearest => "nearest",
    };
    let _ = writeln!(
        out,
        "# Next Release Problem instance `{name}`, imported by `roadmap import nrp`."
    );
    let _ = writeln!(
        out,
        "# {} requirements, {} customers, {} dependency pairs, total cost {total}.",
        instance.costs.len(),
        instance.customers.len(),
        instance.dependencies.len()
    );
    let _ = writeln!(out, "# Budget = {rounding_name}({ratio_text} x {total}) = {budget}. The optimum of this scenario is the NRP optimum:");
    let _ = writeln!(out, "# one period, one team whose capacity is the budget, customers as one-off deals, no discounting.\n");
    let _ = writeln!(out, "[plan]\nname = \"{name} at budget ratio {ratio_text}\"\nperiods = 1\nperiod_weeks = 13\nstart = \"Release 1\"\nhorizon_months = 3\ndiscount_rate = 0\ncurrency = \"profit\"\n");
    let _ = writeln!(out, "[simulation]\ntrials = 1000\nseed = 1\n");
    let _ = writeln!(out, "[[teams]]\nid = \"budget\"\nname = \"Release budget (cost units)\"\ncapacity = {budget}\ncost_per_week = 0\n");
    let mut requires: Vec<Vec<usize>> = vec![Vec::new(); instance.costs.len()];
    for &(a, b) in &instance.dependencies {
        if !requires[b].contains(&a) {
            requires[b].push(a);
        }
    }
    for (r, cost) in instance.costs.iter().enumerate() {
        let _ = write!(
            out,
            "[[features]]\nid = \"r{}\"\neffort = {{ budget = {cost} }}\n",
            r + 1
        );
        if !requires[r].is_empty() {
            let list: Vec<String> = requires[r]
                .iter()
                .map(|a| format!("\"r{}\"", a + 1))
                .collect();
            let _ = writeln!(out, "requires = [{}]", list.join(", "));
        }
        out.push('\n');
    }
    for (c, customer) in instance.customers.iter().enumerate() {
        let mut ids: Vec<usize> = customer.requests.clone();
        ids.dedup();
        let list: Vec<String> = ids.iter().map(|r| format!("\"r{}\"", r + 1)).collect();
        let _ = writeln!(
            out,
            "[[deals]]\nid = \"c{}\"\nfeatures = [{}]\none_off = {}\n",
            c + 1,
            list.join(", "),
            customer.profit
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_are_exact_in_decimal() {
        let r = Ratio::parse("0.7").unwrap();
        assert_eq!(r.apply(10700, Rounding::Floor), 7490);
        assert_eq!(
            Ratio::parse("0.3").unwrap().apply(857, Rounding::Floor),
            257
        );
        // 0.3 x 857 = 257.1; 0.5 x 857 = 428.5 rounds half up.
        assert_eq!(
            Ratio::parse("0.5").unwrap().apply(857, Rounding::Nearest),
            429
        );
        assert_eq!(Ratio::parse(".5").unwrap().apply(857, Rounding::Floor), 428);
        assert!(Ratio::parse("1.5").is_err());
        assert!(Ratio::parse("0").is_err());
        assert!(Ratio::parse("abc").is_err());
    }

    #[test]
    fn parses_the_token_stream_regardless_of_line_breaks() {
        let text = "1\n3\n5 2 1\n1\n1 2\n2\n10 1 2\n7 2\n1 3\n";
        let inst = parse("t.txt", text).unwrap();
        assert_eq!(inst.costs, vec![5, 2, 1]);
        assert_eq!(inst.dependencies, vec![(0, 1)]);
        assert_eq!(
            inst.customers[1],
            NrpCustomer {
                profit: 7,
                requests: vec![0, 2]
            }
        );
        let err = parse("t.txt", "1\n2\n5\n").unwrap_err();
        assert!(
            err.message.contains("ends where a requirement cost"),
            "{}",
            err.message
        );
    }
}
