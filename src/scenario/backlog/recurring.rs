//! A row's recurring cost: four columns that together say what the TOML file's
//! `recurring_cost` table says.

use super::*;
use crate::model::RecurringFrom;
use crate::scenario::draft::DraftRecurring;

/// The columns, in the order the format reference lists them.
pub(super) const RECURRING_COLUMNS: [&str; 4] = [
    "recurring_cost",
    "recurring_cost_per_customer",
    "recurring_cost_segment",
    "recurring_cost_from",
];

/// What a row's recurring cost columns hold, read before they are checked together.
#[derive(Default)]
pub(super) struct RecurringCells {
    per_month: Option<InputId>,
    per_customer: Option<InputId>,
    segment: Option<Ref>,
    from: Option<RecurringFrom>,
    /// A cell held something (valid or not), so the row has a recurring cost.
    written: bool,
    /// The per-customer cell held something, even if it could not be read.
    per_customer_written: bool,
    /// An amount cell (a month or per customer) held something.
    amount_written: bool,
}

impl BacklogReader<'_> {
    /// One of [`RECURRING_COLUMNS`]' cells, by its column's name.
    pub(super) fn recurring_cell(
        &mut self,
        line: usize,
        column: &str,
        header: &str,
        text: &str,
        path: &str,
        cells: &mut RecurringCells,
    ) {
        cells.written = true;
        let key = match column {
            "recurring_cost" => "per_month",
            "recurring_cost_per_customer" => "per_customer",
            "recurring_cost_segment" => "segment",
            _ => "from",
        };
        let name = format!("{path}.recurring_cost.{key}");
        let field = format!("{name} (column `{header}`)");
        match key {
            "per_month" | "per_customer" => {
                cells.per_customer_written |= key == "per_customer";
                cells.amount_written = true;
                if let Some(d) = self.estimate(line, &field, text, false) {
                    let input = Some(self.register(name, d));
                    match key {
                        "per_month" => cells.per_month = input,
                        _ => cells.per_customer = input,
                    }
                }
            }
            "segment" => {
                cells.segment = Some(Ref {
                    id: text.to_string(),
                    location: self.at(line),
                    field,
                })
            }
            _ => {
                cells.from = RecurringFrom::parse(&text.to_ascii_lowercase());
                if cells.from.is_none() {
                    let close = did_you_mean(text, ["release", "start"])
                        .map_or(String::new(), |c| format!("did you mean `{c}`? "));
                    self.error(
                        line,
                        &field,
                        format!("`{text}` is not when a recurring cost starts"),
                        &format!("{close}write release (from the end of the feature's delivery period, the default) or start (from the feature's start)"),
                    );
                }
            }
        }
    }

    /// The row's recurring cost, once all its cells are read: an amount a month, per customer
    /// of a segment, or both.
    pub(super) fn recurring_cost(
        &mut self,
        line: usize,
        path: &str,
        cells: RecurringCells,
    ) -> Option<DraftRecurring> {
        if !cells.written {
            return None;
        }
        let field = format!("{path}.recurring_cost");
        match (cells.per_customer_written, &cells.segment) {
            (true, None) => {
                self.error(
                    line,
                    &format!("{field}.segment"),
                    "a cost per customer needs the segment whose customers it counts".into(),
                    "fill the recurring_cost_segment column with a segment id",
                );
                return None;
            }
            (false, Some(_)) => {
                self.error(
                    line,
                    &format!("{field}.segment"),
                    "a segment is only read with a cost per customer".into(),
                    "fill recurring_cost_per_customer, or clear recurring_cost_segment",
                );
                return None;
            }
            _ => {}
        }
        if cells.per_month.is_none() && cells.per_customer.is_none() {
            // An amount that could not be read is reported already.
            if !cells.amount_written {
                self.error(
                    line,
                    &field,
                    "a recurring cost needs an amount a month, per customer, or both".into(),
                    "fill recurring_cost (a month) or recurring_cost_per_customer with recurring_cost_segment",
                );
            }
            return None;
        }
        Some(DraftRecurring {
            per_month: cells.per_month,
            per_customer: cells.segment.zip(cells.per_customer),
            from: cells.from.unwrap_or_default(),
        })
    }
}
