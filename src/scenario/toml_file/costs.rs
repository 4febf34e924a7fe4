//! How money recurs and what a team's cost is tied to: a feature's `recurring_cost` table and
//! a team's `cost_kind`.

use super::*;
use crate::model::{CostKind, RecurringFrom};
use crate::scenario::finding::did_you_mean;

const RECURRING: [&str; 4] = ["per_month", "per_customer", "segment", "from"];
const EXAMPLE: &str = "{ per_month = [2000, 3000, 5000], from = \"release\" }";

/// `recurring_cost = { per_month = ..., per_customer = ..., segment = "...", from = "..." }`:
/// a flat amount a month, an amount per customer of a segment a month, or both.
pub(super) fn read_recurring(
    reader: &mut Reader,
    node: &Node,
    path: &str,
) -> Option<DraftRecurring> {
    let t = reader.table(
        node,
        path,
        &format!("a recurring cost table, e.g. recurring_cost = {EXAMPLE}"),
    )?;
    reader.check_keys(t, path, &RECURRING);
    let per_month = reader.optional(t, path, "per_month", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "[2000, 3000, 5000]")
    });
    let amount = reader.optional(t, path, "per_customer", |r, n, p| {
        r.uncertain_input(n, p, Domain::NonNegative, "0.8")
    });
    let segment = reader.optional(t, path, "segment", |r, n, p| {
        let id = r.string(n, p, "\"smb\"")?;
        Some(Ref {
            id,
            location: r.loc(n),
            field: p.to_string(),
        })
    });
    let from = reader
        .optional(t, path, "from", read_from)
        .unwrap_or_default();
    let per_customer = match (t.get("per_customer"), t.get("segment")) {
        (Some(_), None) => {
            reader.error(
                node,
                &join(path, "segment"),
                "a cost per customer needs the segment whose customers it counts",
                "add segment = \"<segment id>\", e.g. { per_customer = 0.8, segment = \"smb\" }",
            );
            return None;
        }
        (None, Some(at)) => {
            reader.error(
                at,
                &join(path, "segment"),
                "a segment is only read with a cost per customer",
                "add per_customer = <amount per customer a month>, or remove segment",
            );
            return None;
        }
        _ => match (segment, amount) {
            (Some(segment), Some(amount)) => Some((segment, amount)),
            _ => None,
        },
    };
    if t.get("per_month").is_none() && t.get("per_customer").is_none() {
        reader.error(
            node,
            path,
            "a recurring cost needs an amount a month, per customer, or both",
            format!("write e.g. recurring_cost = {EXAMPLE}, or {{ per_customer = 0.8, segment = \"smb\" }}"),
        );
        return None;
    }
    Some(DraftRecurring {
        per_month,
        per_customer,
        from,
    })
}

/// When a recurring cost starts: `"release"` or `"start"`.
fn read_from(reader: &mut Reader, node: &Node, path: &str) -> Option<RecurringFrom> {
    let text = reader.string(node, path, "\"release\"")?;
    let parsed = RecurringFrom::parse(&text);
    if parsed.is_none() {
        let close = did_you_mean(&text, ["release", "start"])
            .map_or(String::new(), |c| format!("did you mean `{c}`? "));
        reader.error(
            node,
            path,
            format!("`{text}` is not when a recurring cost starts"),
            format!("{close}write \"release\" (from the end of the feature's delivery period, the default) or \"start\" (from the feature's start)"),
        );
    }
    parsed
}

/// A team's `cost_kind`: `"variable"` (paid per week worked on features) or `"fixed"`.
pub(super) fn read_cost_kind(reader: &mut Reader, node: &Node, path: &str) -> Option<CostKind> {
    let text = reader.string(node, path, "\"fixed\"")?;
    let parsed = CostKind::parse(&text);
    if parsed.is_none() {
        let close = did_you_mean(&text, ["variable", "fixed"])
            .map_or(String::new(), |c| format!("did you mean `{c}`? "));
        reader.error(
            node,
            path,
            format!("`{text}` is not a kind of team cost"),
            format!("{close}write \"fixed\" (salaried: the whole capacity is paid whatever the plan holds) or \"variable\" (paid per week worked on features, the default)"),
        );
    }
    parsed
}
