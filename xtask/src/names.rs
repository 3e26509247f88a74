//! Name transformations: botocore's model names to the aws CLI's command and
//! flag names (`xform_name`) and to the SDK's snake_case identifiers.

/// botocore's `xform_name`: `imageTagMutability` → `image-tag-mutability`,
/// `ListTagsForResource` → `list-tags-for-resource`, `DescribeARNs` → `describe-arns`.
pub fn xform_name(name: &str, sep: char) -> String {
    if name.contains(sep) {
        return name.to_string();
    }
    let mut name = name.to_string();
    // A trailing plural acronym ("ARNs") becomes one lower-case word.
    if let Some(start) = special_plural_acronym(&name) {
        let matched = name[start..].to_lowercase();
        name = format!("{}{}{}", &name[..start], sep, matched);
    }
    let s1 = first_cap(&name, sep);
    end_cap(&s1, sep).to_lowercase()
}

/// `[A-Z]{2,}s$`: the start of a trailing run of two or more capitals and an `s`.
fn special_plural_acronym(name: &str) -> Option<usize> {
    let bytes = name.as_bytes();
    if bytes.last() != Some(&b's') {
        return None;
    }
    let mut start = bytes.len() - 1;
    while start > 0 && bytes[start - 1].is_ascii_uppercase() {
        start -= 1;
    }
    (bytes.len() - 1 - start >= 2).then_some(start)
}

/// `(.)([A-Z][a-z]+)` → `\1_\2`, applied left to right without overlap.
fn first_cap(s: &str, sep: char) -> String {
    insert_separators(s, sep, |chars, i| {
        if i + 2 < chars.len()
            && chars[i + 1].is_ascii_uppercase()
            && chars[i + 2].is_ascii_lowercase()
        {
            let lower = chars[i + 2..].iter().take_while(|c| c.is_ascii_lowercase());
            Some(i + 2 + lower.count())
        } else {
            None
        }
    })
}

/// `([a-z0-9])([A-Z])` → `\1_\2`, applied left to right without overlap.
fn end_cap(s: &str, sep: char) -> String {
    insert_separators(s, sep, |chars, i| {
        (i + 1 < chars.len()
            && (chars[i].is_ascii_lowercase() || chars[i].is_ascii_digit())
            && chars[i + 1].is_ascii_uppercase())
        .then_some(i + 2)
    })
}

/// A regex substitution `(.)(rest)` → `\1<sep>\2`, applied left to right
/// without overlap: `match_end(chars, i)` is the end of a match that starts
/// at `i`, if one does.
fn insert_separators(
    s: &str,
    sep: char,
    match_end: impl Fn(&[char], usize) -> Option<usize>,
) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match match_end(&chars, i) {
            Some(end) => {
                out.push(chars[i]);
                out.push(sep);
                out.extend(&chars[i + 1..end]);
                i = end;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// The SDK's identifier for a member or operation (`r#type` for keywords).
pub fn rust_ident(name: &str) -> String {
    let snake = xform_name(name, '_');
    if is_keyword(&snake) {
        format!("r#{snake}")
    } else {
        snake
    }
}

pub fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_botocore() {
        for (name, want) in [
            (
                "imageTagMutabilityExclusionFilters",
                "image-tag-mutability-exclusion-filters",
            ),
            (
                "BatchCheckLayerAvailability",
                "batch-check-layer-availability",
            ),
            ("registryId", "registry-id"),
            ("DescribeARNs", "describe-arns"),
            ("kmsKeyARN", "kms-key-arn"),
            ("upstreamRegistryUrl", "upstream-registry-url"),
            ("ecrRepositoryPrefix", "ecr-repository-prefix"),
            (
                "GetRegistryScanningConfiguration",
                "get-registry-scanning-configuration",
            ),
            ("cvss3", "cvss3"),
        ] {
            assert_eq!(xform_name(name, '-'), want, "{name}");
        }
        assert_eq!(xform_name("imageIds", '_'), "image_ids");
        assert_eq!(rust_ident("type"), "r#type");
    }
}
