//! Python's `json` error messages, which aws prints after `Invalid JSON:`.
//!
//! serde_json decides whether a text is valid; this module only rescans an
//! invalid text the way CPython's C scanner (`_json.c`) does to find its
//! message and position: `Expecting value: line 1 column 20 (char 19)`.
//! Positions count characters, lines and columns start at 1.

/// The message Python's `json.loads` raises for `text`.
pub fn error_message(text: &str) -> String {
    let s: Vec<char> = text.chars().collect();
    let (msg, pos) = match scan_document(&s) {
        Err(e) => e,
        // Valid for Python but not for serde_json (NaN, Infinity, numbers
        // out of range): rcr cannot send those.
        Ok(()) => ("Out of range float values are not JSON compliant", 0),
    };
    let before = &s[..pos.min(s.len())];
    let lineno = before.iter().filter(|&&c| c == '\n').count() + 1;
    let colno = match before.iter().rposition(|&c| c == '\n') {
        Some(nl) => pos - nl,
        None => pos + 1,
    };
    format!("{msg}: line {lineno} column {colno} (char {pos})")
}

type Scan<T> = Result<T, (&'static str, usize)>;

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while i < s.len() && is_ws(s[i]) {
        i += 1;
    }
    i
}

fn scan_document(s: &[char]) -> Scan<()> {
    if s.first() == Some(&'\u{feff}') {
        return Err(("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0));
    }
    let i = skip_ws(s, 0);
    let end = scan_value(s, i, 0)?;
    let end = skip_ws(s, end);
    if end != s.len() {
        return Err(("Extra data", end));
    }
    Ok(())
}

const EXPECTING_VALUE: &str = "Expecting value";

/// Scans one value at `i`; returns the index after it.
fn scan_value(s: &[char], i: usize, depth: usize) -> Scan<usize> {
    if depth > 900 {
        // CPython raises RecursionError long before this; treat it as invalid.
        return Err((EXPECTING_VALUE, i));
    }
    let Some(&c) = s.get(i) else {
        return Err((EXPECTING_VALUE, i));
    };
    let lit = |word: &str| -> bool {
        let w: Vec<char> = word.chars().collect();
        s.get(i..i + w.len()) == Some(&w[..])
    };
    match c {
        '"' => scan_string(s, i + 1),
        '{' => scan_object(s, i + 1, depth),
        '[' => scan_array(s, i + 1, depth),
        'n' if lit("null") => Ok(i + 4),
        't' if lit("true") => Ok(i + 4),
        'f' if lit("false") => Ok(i + 5),
        'N' if lit("NaN") => Ok(i + 3),
        'I' if lit("Infinity") => Ok(i + 8),
        '-' if lit("-Infinity") => Ok(i + 9),
        _ => scan_number(s, i),
    }
}

fn scan_number(s: &[char], start: usize) -> Scan<usize> {
    let digit = |j: usize| s.get(j).is_some_and(char::is_ascii_digit);
    let mut i = start;
    if s.get(i) == Some(&'-') {
        i += 1;
        if i >= s.len() {
            return Err((EXPECTING_VALUE, start));
        }
    }
    match s.get(i) {
        Some('1'..='9') => {
            i += 1;
            while digit(i) {
                i += 1;
            }
        }
        Some('0') => i += 1,
        _ => return Err((EXPECTING_VALUE, start)),
    }
    if i + 1 < s.len() && s[i] == '.' && digit(i + 1) {
        i += 2;
        while digit(i) {
            i += 1;
        }
    }
    if i + 1 < s.len() && (s[i] == 'e' || s[i] == 'E') {
        let e_start = i;
        i += 1;
        if i + 1 < s.len() && (s[i] == '-' || s[i] == '+') {
            i += 1;
        }
        while digit(i) {
            i += 1;
        }
        if !digit(i - 1) {
            i = e_start;
        }
    }
    Ok(i)
}

/// A string whose opening quote is at `end - 1`.
fn scan_string(s: &[char], mut end: usize) -> Scan<usize> {
    let begin = end - 1;
    loop {
        let mut next = end;
        let mut c = '\0';
        while next < s.len() {
            c = s[next];
            if c == '"' || c == '\\' {
                break;
            }
            if (c as u32) <= 0x1f {
                return Err(("Invalid control character at", next));
            }
            next += 1;
        }
        if next >= s.len() || !(c == '"' || c == '\\') {
            return Err(("Unterminated string starting at", begin));
        }
        next += 1;
        if c == '"' {
            return Ok(next);
        }
        if next == s.len() {
            return Err(("Unterminated string starting at", begin));
        }
        let e = s[next];
        if e != 'u' {
            end = next + 1;
            if !matches!(e, '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') {
                return Err(("Invalid \\escape", end - 2));
            }
        } else {
            next += 1;
            end = next + 4;
            if end >= s.len() {
                return Err(("Invalid \\uXXXX escape", next - 1));
            }
            let hex = |j: usize| s[j..j + 4].iter().all(char::is_ascii_hexdigit);
            if !hex(next) {
                return Err(("Invalid \\uXXXX escape", end - 5));
            }
            let code = s[next..end]
                .iter()
                .fold(0u32, |acc, d| acc * 16 + d.to_digit(16).unwrap_or(0));
            // A high surrogate followed by `\u` and four more digits.
            if (0xd800..0xdc00).contains(&code)
                && end + 6 < s.len()
                && s[end] == '\\'
                && s[end + 1] == 'u'
            {
                if !hex(end + 2) {
                    return Err(("Invalid \\uXXXX escape", end + 6 - 5));
                }
                let low = s[end + 2..end + 6]
                    .iter()
                    .fold(0u32, |acc, d| acc * 16 + d.to_digit(16).unwrap_or(0));
                if (0xdc00..0xe000).contains(&low) {
                    end += 6;
                }
            }
        }
    }
}

fn scan_object(s: &[char], i: usize, depth: usize) -> Scan<usize> {
    scan_items(s, i, '}', |i| {
        if s.get(i) != Some(&'"') {
            return Err(("Expecting property name enclosed in double quotes", i));
        }
        let mut i = scan_string(s, i + 1)?;
        i = skip_ws(s, i);
        if s.get(i) != Some(&':') {
            return Err(("Expecting ':' delimiter", i));
        }
        scan_value(s, skip_ws(s, i + 1), depth + 1)
    })
}

fn scan_array(s: &[char], i: usize, depth: usize) -> Scan<usize> {
    scan_items(s, i, ']', |i| scan_value(s, i, depth + 1))
}

/// The inside of an object or an array, from just after its opening
/// character: items (`item` scans one, from where it starts to its end)
/// separated by commas, up to `close`; the end is just past `close`.
fn scan_items(
    s: &[char],
    i: usize,
    close: char,
    item: impl Fn(usize) -> Scan<usize>,
) -> Scan<usize> {
    let mut i = skip_ws(s, i);
    if s.get(i) == Some(&close) {
        return Ok(i + 1);
    }
    loop {
        i = skip_ws(s, item(i)?);
        if s.get(i) == Some(&close) {
            return Ok(i + 1);
        }
        if s.get(i) != Some(&',') {
            return Err(("Expecting ',' delimiter", i));
        }
        i = skip_ws(s, i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_seen_from_aws() {
        // From aws v1 runs (CPython 3.11's json).
        assert_eq!(
            error_message("{\"encryptionType\": x}"),
            "Expecting value: line 1 column 20 (char 19)"
        );
        assert_eq!(
            error_message("[{\"Key\":\"a\""),
            "Expecting ',' delimiter: line 1 column 12 (char 11)"
        );
        assert_eq!(
            error_message("[{imageTag=a}]"),
            "Expecting property name enclosed in double quotes: line 1 column 3 (char 2)"
        );
    }

    /// Cases and messages produced by CPython 3.11's `json.loads`.
    #[test]
    fn matches_python() {
        let cases: Vec<serde_json::Value> = serde_json::from_str(include_str!(
            "../../tests/fixtures/params/pyjson-oracle.json"
        ))
        .expect("fixture is JSON");
        let mut bad = Vec::new();
        for c in &cases {
            let input = c["input"].as_str().unwrap_or_default();
            let want = c["err"].as_str().unwrap_or_default();
            if serde_json::from_str::<serde_json::Value>(input).is_ok() {
                continue;
            }
            let got = error_message(input);
            if got != want {
                bad.push(format!("{input:?}: want {want:?} got {got:?}"));
            }
        }
        assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.join("\n"));
    }
}
