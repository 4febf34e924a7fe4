//! Validation findings: plain data that `report/` renders.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where in which file a finding points. `column` is 0 when only the line is known (CSV rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column > 0 {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        } else if self.line > 0 {
            write!(f, "{}:{}", self.file, self.line)
        } else {
            write!(f, "{}", self.file)
        }
    }
}

/// One problem (or warning) with a scenario: where, which field, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub location: Location,
    /// Field path, e.g. `features[sso].effort.web`.
    pub field: String,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    pub fn error(location: Location, field: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            location,
            field: field.into(),
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        location: Location,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(location, field, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}: ", self.location)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Collects findings while reading and checking, so that every problem is reported at once.
#[derive(Debug, Default)]
pub struct Findings {
    pub items: Vec<Finding>,
}

impl Findings {
    pub fn push(&mut self, finding: Finding) {
        self.items.push(finding);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Finding::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|f| f.is_error()).count()
    }

    /// Errors first, then in file order, so the first line a user reads is the first thing to fix.
    pub fn sorted(mut self) -> Vec<Finding> {
        self.items.sort_by(|a, b| {
            (
                a.severity,
                &a.location.file,
                a.location.line,
                a.location.column,
            )
                .cmp(&(
                    b.severity,
                    &b.location.file,
                    b.location.line,
                    b.location.column,
                ))
        });
        self.items
    }
}

/// Candidates that the suggestions for unknown ids may compare in one read of a scenario or a
/// plan, about a second: a large backlog that names thousands of ids it does not have gets
/// suggestions for the first of them rather than an hour of searching.
pub const SUGGESTION_BUDGET: usize = 5_000_000;

/// [`did_you_mean`] within [`SUGGESTION_BUDGET`] candidates, shared by every call.
#[derive(Debug)]
pub struct Suggestions {
    left: usize,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            left: SUGGESTION_BUDGET,
        }
    }
}

impl Suggestions {
    /// The suggestion, or `Exhausted` when what is left of the budget cannot compare every
    /// candidate.
    pub fn did_you_mean<'a, I>(&mut self, word: &str, candidates: I) -> Suggestion<'a>
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: ExactSizeIterator,
    {
        let candidates = candidates.into_iter();
        if candidates.len() > self.left {
            return Suggestion::Exhausted;
        }
        self.left -= candidates.len();
        match did_you_mean(word, candidates) {
            Some(s) => Suggestion::Close(s),
            None => Suggestion::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggestion<'a> {
    Close(&'a str),
    None,
    /// Too many unknown ids were searched already.
    Exhausted,
}

/// Closest candidate by edit distance, if it is close enough to be a plausible typo: within a
/// third of the longer length (at least 1), the first of the closest in `candidates`' order.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // A large backlog offers hundreds of thousands of ids for each unknown one: each candidate
    // is compared without allocating, only as far as could still beat the closest so far.
    let lower: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let mut candidate: Vec<char> = Vec::new();
    let mut rows = Rows::default();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let limit = (c.chars().count().max(lower.len()) / 3).max(1);
        let bound = match best {
            Some((0, _)) => break,
            Some((d, _)) => limit.min(d - 1),
            None => limit,
        };
        candidate.clear();
        candidate.extend(c.chars().map(|ch| ch.to_ascii_lowercase()));
        if let Some(d) = rows.distance_within(&lower, &candidate, bound) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours each count one, since swapped letters are the commonest typo.
#[cfg(test)]
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    Rows::default()
        .distance_within(&a, &b, usize::MAX - 1)
        .unwrap_or(usize::MAX)
}

/// The last three rows of the distance table, kept between comparisons.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The optimal string alignment distance of `a` and `b` if it is at most `bound`. A row's
    /// smallest entry never exceeds the next row's, so the table stops at the first row past
    /// the bound.
    fn distance_within(&mut self, a: &[char], b: &[char], bound: usize) -> Option<usize> {
        if a.len().abs_diff(b.len()) > bound {
            return None;
        }
        let width = b.len() + 1;
        for row in [&mut self.before, &mut self.previous, &mut self.current] {
            row.clear();
            row.resize(width, 0);
        }
        for (j, cell) in self.current.iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
            self.current[0] = i;
            let mut smallest = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(self.previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(self.before[j - 2] + 1);
                }
                self.current[j] = best;
                smallest = smallest.min(best);
            }
            if smallest > bound {
                return None;
            }
        }
        let d = self.current[b.len()];
        (d <= bound).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_but_not_unrelated_words() {
        let ids = ["audit-log", "sso", "billing-v2"];
        assert_eq!(did_you_mean("audit_log", ids), Some("audit-log"));
        assert_eq!(did_you_mean("SSO", ids), Some("sso"));
        assert_eq!(did_you_mean("payments", ids), None);
        assert_eq!(did_you_mean("wbe", ["web", "mobile"]), Some("web"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    /// The full table, every cell.
    fn full_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn bounded_search_suggests_what_comparing_every_candidate_in_full_suggests() {
        // Short words over a small alphabet, so that near misses and ties are common.
        let mut state = 7u64;
        let mut word = |max: u64| {
            state = crate::sample::stream::mix64(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
            let len = state % max;
            (0..len)
                .map(|k| ['a', 'b', 'C', '-', 'd'][((state >> (8 + 3 * k)) % 5) as usize])
                .collect::<String>()
        };
        for _ in 0..3000 {
            let target = word(9);
            let candidates: Vec<String> = (0..12).map(|_| word(9)).collect();
            let lower = target.to_ascii_lowercase();
            let expected = candidates
                .iter()
                .map(|c| (full_distance(&lower, &c.to_ascii_lowercase()), c.as_str()))
                .filter(|(d, c)| *d <= (c.chars().count().max(target.chars().count()) / 3).max(1))
                .min_by_key(|(d, _)| *d)
                .map(|(_, c)| c);
            assert_eq!(
                did_you_mean(&target, candidates.iter().map(String::as_str)),
                expected,
                "{target} among {candidates:?}"
            );
            for c in &candidates {
                assert_eq!(edit_distance(&target, c), full_distance(&target, c));
            }
        }
    }
}
