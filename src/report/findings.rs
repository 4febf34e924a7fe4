//! Renders validation findings for people (text) and machines (JSON).

use crate::scenario::{Finding, Severity};

/// Every finding, errors first, then a one-line count.
pub fn render(findings: &[Finding], max_warnings: usize) -> String {
    let mut out = String::new();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let mut shown_warnings = 0;
    for f in findings {
        if f.severity == Severity::Warning {
            shown_warnings += 1;
            if shown_warnings > max_warnings {
                continue;
            }
        }
        out.push_str(&f.to_string());
        out.push('\n');
    }
    if shown_warnings > max_warnings {
        out.push_str(&format!(
            "... and {} more warnings (--all-warnings shows them)\n",
            shown_warnings - max_warnings
        ));
    }
    if errors > 0 {
        out.push_str(&format!(
            "{errors} error{}, {warnings} warning{}\n",
            plural(errors),
            plural(warnings)
        ));
    }
    out
}

pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(findings).unwrap_or_default()
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
