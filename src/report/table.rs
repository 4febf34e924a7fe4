//! A minimal aligned text table for the terminal.

use unicode_width::UnicodeWidthStr;

pub struct Table {
    headers: Vec<String>,
    /// true = right-aligned (numbers).
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

/// Columns a text takes on a terminal: CJK characters and most emoji take two, combining
/// marks none, so padding by characters would push every later column out of line.
pub fn display_width(text: &str) -> usize {
    // The string form counts an emoji presentation sequence (🏔️: a symbol and U+FE0F) as
    // the two columns terminals draw, which adding up characters would not.
    text.width()
}

/// `text` cut to at most `max` terminal columns, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        // One column stays free for the ellipsis.
        if used + w > max.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    // Character widths undercount emoji sequences: measure the string as a whole.
    while display_width(&out) + 1 > max && out.pop().is_some() {}
    format!("{}…", out.trim_end())
}

impl Table {
    pub fn new(columns: &[(&str, bool)]) -> Self {
        Table {
            headers: columns.iter().map(|c| c.0.to_string()).collect(),
            right: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let width = |i: usize| {
            self.rows
                .iter()
                .map(|r| r.get(i).map_or(0, |c| display_width(c)))
                .chain(std::iter::once(display_width(&self.headers[i])))
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.headers.len()).map(width).collect();
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = widths[i].saturating_sub(display_width(c));
                    if self.right[i] {
                        format!("{}{c}", " ".repeat(pad))
                    } else {
                        format!("{c}{}", " ".repeat(pad))
                    }
                })
                .collect();
            format!("  {}", parts.join("  ").trim_end())
        };
        let mut out = line(&self.headers);
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&line(&rule));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_keep_the_columns_in_line() {
        let mut t = Table::new(&[("feature", false), ("chance", true)]);
        t.row(vec!["決済の刷新".into(), "57%".into()]);
        t.row(vec!["🚀 Launch".into(), "100%".into()]);
        t.row(vec!["Checkout".into(), "9%".into()]);
        t.row(vec!["🏔️ Hike".into(), "9%".into()]);
        let text = t.render();
        // Every line ends at the same terminal column.
        let ends: Vec<usize> = text.lines().map(display_width).collect();
        assert!(ends.iter().all(|&e| e == ends[0]), "{text}\n{ends:?}");
        assert_eq!(display_width("決済"), 4);
        assert_eq!(display_width("🏔️🥾"), 4);
    }

    #[test]
    fn truncation_counts_columns() {
        assert_eq!(truncate("Checkout redesign", 20), "Checkout redesign");
        assert_eq!(truncate("Checkout redesign", 10), "Checkout…");
        assert_eq!(truncate("決済の刷新プロジェクト", 9), "決済の刷…");
        assert!(display_width(&truncate("決済の刷新プロジェクト", 9)) <= 9);
        assert!(display_width(&truncate("🏔️🏔️🏔️🏔️🏔️", 5)) <= 5);
    }
}
