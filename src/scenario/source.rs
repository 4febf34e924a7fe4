//! A scenario file's text with the means to turn byte offsets into line:column.

use super::finding::Location;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as the user should read it in messages.
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: &Path, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.to_path_buf(),
            display: path.display().to_string(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    pub fn location(&self, offset: usize) -> Location {
        let (line, column) = self.line_col(offset);
        Location {
            file: self.display.clone(),
            line,
            column,
        }
    }

    /// Location of a whole file, for problems that have no better place.
    pub fn whole(&self) -> Location {
        Location {
            file: self.display.clone(),
            line: 0,
            column: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_one_based_lines_and_character_columns() {
        let src = SourceFile::new(Path::new("a.toml"), "ab\nc€d\n".into());
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        // '€' is three bytes but one column.
        assert_eq!(src.line_col(7), (2, 3));
    }
}
