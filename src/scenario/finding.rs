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

/// Closest candidate by edit distance, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours each count one, since swapped letters are the commonest typo.
fn edit_distance(a: &str, b: &str) -> usize {
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
    }
}
