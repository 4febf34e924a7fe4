//! Numbers and estimates in cells, read with the file's decimal mark.

use super::*;

impl BacklogReader<'_> {
    pub(super) fn number(
        &mut self,
        line: usize,
        field: &str,
        text: &str,
        fraction: bool,
    ) -> Option<f64> {
        // Sheets write shares as "80%", the TOML file as "80%" too: one reading for both.
        let (body, scale) = match numbers::percentage(text) {
            Some(number) if fraction => (number, 0.01),
            _ => (text, 1.0),
        };
        let reading = numbers::read_number(body);
        let value = match (reading, self.pass.mark) {
            (Reading::NotANumber, _) => {
                self.error(
                    line,
                    field,
                    format!("`{text}` is not a number"),
                    "write a plain number such as 5 or 2.5, without units",
                );
                return None;
            }
            (reading, Some((mark, source))) => match reading.value(mark) {
                Some(v) => v,
                None => {
                    let why = match source {
                        MarkSource::Declared => "as [backlog] decimal_mark says",
                        MarkSource::CommaSeparated => "as in every comma-separated file",
                        MarkSource::OwnNumbers => "as its other numbers show",
                    };
                    let (other, mut fix) = match mark {
                        DecimalMark::Point => (',', body.replace('.', "").replace(',', ".")),
                        DecimalMark::Comma => ('.', body.replace(',', "").replace('.', ",")),
                    };
                    if scale != 1.0 {
                        fix.push('%');
                    }
                    self.error(
                        line,
                        field,
                        format!(
                            "`{text}` has a decimal `{other}`, but this file's decimal mark is `{}` ({why})",
                            mark.symbol()
                        ),
                        &format!("write {fix}"),
                    );
                    return None;
                }
            },
            (Reading::Ambiguous { point, .. }, None) => {
                // Read as 1.5 for now; `read` reads the file again if it turns out to use
                // decimal commas, and reports it if nothing tells.
                self.pass.ambiguous_count += 1;
                if self.pass.ambiguous.len() < AMBIGUOUS_SHOWN {
                    self.pass
                        .ambiguous
                        .push((line, field.to_string(), text.to_string()));
                }
                point
            }
            (Reading::Point(v), None) => {
                self.pass
                    .first_point
                    .get_or_insert_with(|| (line, text.to_string()));
                v
            }
            (Reading::Comma(v), None) => {
                self.pass
                    .first_comma
                    .get_or_insert_with(|| (line, text.to_string()));
                v
            }
            (Reading::Plain(v), None) => v,
        };
        match value * scale {
            v if v.is_finite() && v >= 0.0 && (!fraction || v <= 1.0) => Some(v),
            v if v.is_finite() => {
                let (what, help) = if fraction {
                    ("must be between 0 and 1", share_help(v, "0.8"))
                } else {
                    (
                        "must not be negative",
                        "use zero or a positive number".to_string(),
                    )
                };
                // A share written as a bare number above 1 may be a percentage without its sign.
                let help = if fraction && (2.0..=100.0).contains(&v) {
                    format!("{help}, or write {}%", fmt_num(v))
                } else {
                    help
                };
                self.error(line, field, format!("{what}, got {}", fmt_num(v)), &help);
                None
            }
            _ => {
                self.error(
                    line,
                    field,
                    format!("`{text}` is not a number"),
                    "write a plain number such as 5 or 2.5, without units",
                );
                None
            }
        }
    }

    /// A constant (`5`) or a three-point estimate (`3/5/9`).
    pub(super) fn estimate(
        &mut self,
        line: usize,
        field: &str,
        text: &str,
        fraction: bool,
    ) -> Option<Dist> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.len() {
            1 => self.number(line, field, text, fraction).map(Dist::constant),
            3 => {
                let mut v = [0.0; 3];
                for (slot, part) in v.iter_mut().zip(&parts) {
                    *slot = self.number(line, field, part.trim(), fraction)?;
                }
                match check_three_point(v[0], v[1], v[2]) {
                    Ok(()) if v[0] == v[2] => Some(Dist::constant(v[0])),
                    Ok(()) => Some(Dist::Pert {
                        low: v[0],
                        likely: v[1],
                        high: v[2],
                    }),
                    Err((problem, help)) => {
                        self.error(
                            line,
                            field,
                            problem,
                            &help.replace(['[', ']'], "").replace(", ", "/"),
                        );
                        None
                    }
                }
            }
            n => {
                self.error(
                    line,
                    field,
                    format!("`{text}` has {n} parts"),
                    "write one number (5) or three as low/likely/high (3/5/9)",
                );
                None
            }
        }
    }
}

/// "1 row", "3 rows".
pub(super) fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}
