//! Raw trials as CSV, streamed chunk by chunk while a simulation runs (`simulate --raw FILE`).

use crate::simulate::RawChunk;
use std::fmt::Write;

/// The header: trial, the money columns, then one delivery-period column per scheduled feature.
pub fn header(features: &[&str]) -> String {
    let mut line = String::from("trial,npv,value,cost,penalties,spend");
    for f in features {
        line.push(',');
        line.push_str(f);
    }
    line.push('\n');
    line
}

/// One CSV line per trial; delivery periods as labels, empty when not delivered in the plan.
pub fn rows(chunk: &RawChunk, labels: &[String], out: &mut String) {
    for (i, row) in chunk.rows.chunks(chunk.stride).enumerate() {
        let _ = write!(out, "{}", chunk.first_trial + i as u64);
        for money in &row[..RawChunk::MONEY] {
            let _ = write!(out, ",{money:.2}");
        }
        for p in &row[RawChunk::MONEY..] {
            out.push(',');
            if p.is_finite() {
                out.push_str(&labels[*p as usize]);
            }
        }
        out.push('\n');
    }
}
