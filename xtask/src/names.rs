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
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // Try to match at i: any char, then an upper, then one or more lower.
        if i + 2 < chars.len()
            && chars[i + 1].is_ascii_uppercase()
            && chars[i + 2].is_ascii_lowercase()
        {
            let mut j = i + 2;
            while j < chars.len() && chars[j].is_ascii_lowercase() {
                j += 1;
            }
            out.push(chars[i]);
            out.push(sep);
            out.extend(&chars[i + 1..j]);
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `([a-z0-9])([A-Z])` → `\1_\2`, applied left to right without overlap.
fn end_cap(s: &str, sep: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len()
            && (chars[i].is_ascii_lowercase() || chars[i].is_ascii_digit())
            && chars[i + 1].is_ascii_uppercase()
        {
            out.push(chars[i]);
            out.push(sep);
            out.push(chars[i + 1]);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
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
        for (name, separator, want) in [
            (
                "imageTagMutabilityExclusionFilters",
                '-',
                "image-tag-mutability-exclusion-filters",
            ),
            (
                "BatchCheckLayerAvailability",
                '-',
                "batch-check-layer-availability",
            ),
            ("registryId", '-', "registry-id"),
            ("DescribeARNs", '-', "describe-arns"),
            ("kmsKeyARN", '-', "kms-key-arn"),
            ("upstreamRegistryUrl", '-', "upstream-registry-url"),
            ("ecrRepositoryPrefix", '-', "ecr-repository-prefix"),
            (
                "GetRegistryScanningConfiguration",
                '-',
                "get-registry-scanning-configuration",
            ),
            ("cvss3", '-', "cvss3"),
            ("imageIds", '_', "image_ids"),
        ] {
            assert_eq!(xform_name(name, separator), want, "{name}");
        }
        assert_eq!(rust_ident("type"), "r#type");
    }
}
