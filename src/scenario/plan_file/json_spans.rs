//! Where the items of a JSON plan are written, since serde_json keeps no positions.
//!
//! Once serde_json has accepted the text, a small scanner walks the same structure: the
//! top-level array, or the array under the object's last `plan` key (serde_json keeps the last
//! of repeated keys too), and records the offset of each item and of the values of its keys.
//! This finds the right line even where ids or key names repeat elsewhere in the file, which
//! searching for the N-th `"feature"` would not. Deeper values are skipped by counting
//! brackets outside strings.

pub struct ItemSpan {
    pub start: usize,
    /// Each key of the item (decoded) with the byte offset of its value; the last of
    /// repeated keys wins.
    keys: Vec<(String, usize)>,
}

impl ItemSpan {
    pub fn value_of(&self, key: &str) -> Option<usize> {
        self.keys
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, o)| *o)
    }
}

/// Items of the plan array, in order.
pub fn plan_items(text: &str) -> Vec<ItemSpan> {
    let mut c = Cursor { text, pos: 0 };
    c.skip_ws();
    match c.peek() {
        Some(b'[') => c.array_items(),
        Some(b'{') => match plan_value(text) {
            Some(offset) => {
                let mut c = Cursor { text, pos: offset };
                if c.peek() == Some(b'[') {
                    c.array_items()
                } else {
                    Vec::new()
                }
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Offset of the value of the top-level object's last `plan` key.
pub fn plan_value(text: &str) -> Option<usize> {
    let mut c = Cursor { text, pos: 0 };
    c.skip_ws();
    if c.peek() != Some(b'{') {
        return None;
    }
    c.object_keys()
        .into_iter()
        .rev()
        .find(|(k, _)| k == "plan")
        .map(|(_, o)| o)
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        if found {
            self.pos += 1;
        }
        found
    }

    /// At a `"`: moves past the closing quote and returns the decoded string.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => break,
                _ => {}
            }
        }
        let end = self.pos.min(self.text.len());
        self.text
            .get(start..end)
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    }

    fn skip_value(&mut self) {
        match self.peek() {
            Some(b'"') => {
                self.string();
            }
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(b) = self.peek() {
                    match b {
                        b'"' => {
                            self.string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.pos += 1;
                                return;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
            }
            None => {}
        }
    }

    /// At a `{`: the keys with the offsets of their values; moves past the object.
    fn object_keys(&mut self) -> Vec<(String, usize)> {
        let mut keys = Vec::new();
        self.pos += 1;
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                self.eat(b'}');
                return keys;
            }
            let key = self.string();
            self.skip_ws();
            self.eat(b':');
            self.skip_ws();
            keys.push((key, self.pos));
            let before = self.pos;
            self.skip_value();
            self.skip_ws();
            if !self.eat(b',') || self.pos == before {
                self.skip_ws();
                self.eat(b'}');
                return keys;
            }
        }
    }

    /// At a `[`: each item with its keys when it is an object; moves past the array.
    fn array_items(&mut self) -> Vec<ItemSpan> {
        let mut items = Vec::new();
        self.pos += 1;
        loop {
            self.skip_ws();
            if matches!(self.peek(), None | Some(b']')) {
                return items;
            }
            let start = self.pos;
            let keys = if self.peek() == Some(b'{') {
                self.object_keys()
            } else {
                self.skip_value();
                Vec::new()
            };
            items.push(ItemSpan { start, keys });
            self.skip_ws();
            if !self.eat(b',') || self.pos == start {
                return items;
            }
        }
    }
}
