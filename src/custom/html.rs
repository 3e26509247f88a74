//! The model's documentation HTML turned into plain document blocks.
//!
//! botocore's service models document shapes and operations in a small HTML
//! dialect (`<p>`, `<ul>`/`<li>`, `<code>`, `<a href>`, `<i>`, `<note>`,
//! `<important>`, `<fullname>`, a few entities). Help pages and man pages
//! need it as text; a general HTML crate would be far larger than this
//! dialect, so a hand-written tokenizer turns it into [`Block`]s that the
//! text renderer (`help.rs`) and the man page writer (`xtask`) lay out.
//! Unknown tags are dropped and their text kept, so no input can fail.

/// One block of a rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// List nesting: 0 outside any list.
    pub depth: usize,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph, whitespace collapsed, to be wrapped.
    Para,
    /// A list item (its first paragraph), to be wrapped after a bullet.
    Item,
    /// Preformatted text, lines kept as they are.
    Code,
}

/// Converts model documentation HTML to blocks.
pub fn blocks(html: &str) -> Vec<Block> {
    let mut p = Parser::default();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            match after.find('>') {
                Some(end) => {
                    p.tag(&after[..end]);
                    rest = &after[end + 1..];
                }
                None => {
                    p.text("<");
                    rest = after;
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            p.text(&decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    p.flush();
    p.out
}

/// The first sentence of a documentation string as one line of plain text,
/// at most `max` characters: the short description of completions.
pub fn summary(html: &str, max: usize) -> String {
    let first = blocks(html)
        .into_iter()
        .map(|b| b.text)
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    let sentence = match first.find(". ") {
        Some(i) => &first[..=i],
        None => first.as_str(),
    };
    if sentence.chars().count() <= max {
        return sentence.to_string();
    }
    let mut cut: String = sentence.chars().take(max.saturating_sub(3)).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push_str("...");
    cut
}

#[derive(Default)]
struct Parser {
    out: Vec<Block>,
    buf: String,
    depth: usize,
    /// The next flushed text starts a list item.
    item_pending: bool,
    pre: usize,
    /// `href`s of the open links.
    links: Vec<String>,
    /// Text since the innermost link opened, to avoid `x (x)`.
    link_text_start: Vec<usize>,
    /// Put before the next paragraph (`Note: `).
    prefix: Option<&'static str>,
}

impl Parser {
    fn text(&mut self, s: &str) {
        if self.pre > 0 {
            self.buf.push_str(s);
            return;
        }
        for c in s.chars() {
            // U+2028 (LINE SEPARATOR) appears in the models as a stray space.
            let c = if c.is_whitespace() || c == '\u{2028}' {
                ' '
            } else {
                c
            };
            if c == ' ' && (self.buf.is_empty() || self.buf.ends_with(' ')) {
                continue;
            }
            self.buf.push(c);
        }
    }

    fn flush(&mut self) {
        if self.pre > 0 {
            let text = self.buf.trim_matches('\n').to_string();
            self.buf.clear();
            if !text.trim().is_empty() {
                self.out.push(Block {
                    kind: BlockKind::Code,
                    depth: self.depth,
                    text,
                });
            }
            return;
        }
        let mut text = self.buf.trim().to_string();
        self.buf.clear();
        if text.is_empty() {
            return;
        }
        if let Some(prefix) = self.prefix.take() {
            text.insert_str(0, prefix);
        }
        let kind = if self.item_pending {
            self.item_pending = false;
            BlockKind::Item
        } else {
            BlockKind::Para
        };
        self.out.push(Block {
            kind,
            depth: self.depth,
            text,
        });
    }

    fn tag(&mut self, raw: &str) {
        let raw = raw.trim().trim_end_matches('/').trim();
        let (closing, body) = match raw.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, raw),
        };
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "fullname" | "br" | "dt" | "dd" | "div" | "h1" | "h2" | "h3", _) => self.flush(),
            ("ul" | "ol" | "dl", false) => {
                self.flush();
                self.depth += 1;
            }
            ("ul" | "ol" | "dl", true) => {
                self.flush();
                self.depth = self.depth.saturating_sub(1);
            }
            ("li", false) => {
                self.flush();
                self.item_pending = true;
            }
            ("li", true) => {
                self.flush();
                self.item_pending = false;
            }
            ("note", false) => {
                self.flush();
                self.prefix = Some("Note: ");
            }
            ("important", false) => {
                self.flush();
                self.prefix = Some("Important: ");
            }
            ("note" | "important", true) => self.flush(),
            ("pre" | "programlisting", false) => {
                self.flush();
                self.pre += 1;
            }
            ("pre" | "programlisting", true) => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            ("a", false) => {
                self.links.push(attribute(body, "href").unwrap_or_default());
                self.link_text_start.push(self.buf.len());
            }
            ("a", true) => {
                let href = self.links.pop().unwrap_or_default();
                let start = self.link_text_start.pop().unwrap_or(0);
                let label = self.buf.get(start..).unwrap_or("").trim().to_string();
                if !href.is_empty() && label != href && !href.starts_with('#') {
                    if !self.buf.ends_with(' ') {
                        self.buf.push(' ');
                    }
                    self.buf.push('(');
                    self.buf.push_str(&href);
                    self.buf.push(')');
                }
            }
            // Inline markup (code, i, b, em, ...) keeps just its text.
            _ => {}
        }
    }
}

/// The value of `name="..."` in a tag's body.
fn attribute(body: &str, name: &str) -> Option<String> {
    let start = body.find(&format!("{name}="))? + name.len() + 1;
    let rest = &body[start..];
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let end = match quote {
        Some(q) => rest.find(q).unwrap_or(rest.len()),
        None => rest.find(char::is_whitespace).unwrap_or(rest.len()),
    };
    Some(decode_entities(&rest[..end]))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let code = if let Some(hex) = name.strip_prefix("#x") {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Wraps `text` at `width` columns, every line starting with `indent`
/// spaces; the first line starts with `first` instead (a bullet) when given.
pub fn wrap(text: &str, indent: usize, width: usize, first: Option<&str>) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = match first {
        Some(f) => format!(
            "{}{f}",
            " ".repeat(indent.saturating_sub(f.chars().count()))
        ),
        None => pad.clone(),
    };
    let mut line_has_word = false;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count();
        if line_has_word && len + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = pad.clone();
            line_has_word = false;
        }
        if line_has_word {
            line.push(' ');
        }
        line.push_str(word);
        line_has_word = true;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_code_links() {
        let html = "<p>Creates a <code>repo</code>. See <a href=\"https://x.test/a\">the guide</a>.</p> <ul> <li> <p>One &amp; two</p> </li> <li><p>Three</p></li> </ul> <note> <p>Careful.</p> </note>";
        let b = blocks(html);
        assert_eq!(
            b.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(),
            vec![
                "Creates a repo. See the guide (https://x.test/a).",
                "One & two",
                "Three",
                "Note: Careful."
            ]
        );
        assert_eq!(b[1].kind, BlockKind::Item);
        assert_eq!(b[1].depth, 1);
        assert_eq!(b[0].kind, BlockKind::Para);
    }

    #[test]
    fn broken_html_does_not_fail() {
        for s in ["<p", "a < b", "&#xZZ; &", "</ul></ul><li>", "<a href=x>y"] {
            let _ = blocks(s);
        }
        assert_eq!(blocks("a < b")[0].text, "a < b");
    }

    #[test]
    fn summary_is_first_sentence() {
        assert_eq!(
            summary("<p>Creates a repository. More.</p>", 80),
            "Creates a repository."
        );
        assert_eq!(summary("<p>aaaa bbbb cccc</p>", 10), "aaaa...");
    }

    #[test]
    fn wraps_with_indent() {
        assert_eq!(wrap("aa bb cc", 2, 8, None), "  aa bb\n  cc\n");
        assert_eq!(wrap("aa bb", 4, 80, Some("o ")), "  o aa bb\n");
    }
}
