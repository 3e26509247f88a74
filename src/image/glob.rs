//! Tag patterns for `--tag` and `--keep-tag`: `*` matches any run of
//! characters (also none), `?` exactly one, everything else itself, as in
//! ECR's own wildcard tag filters and shell globs. The whole tag must match.

/// Whether `text` matches `pattern` as a whole.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // The classic greedy matcher with one backtrack point (the last `*`):
    // linear in practice, never exponential.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether any of `tags` matches any of `patterns`.
pub fn any_tag_matches<'a>(patterns: &[String], tags: impl IntoIterator<Item = &'a str>) -> bool {
    tags.into_iter()
        .any(|tag| patterns.iter().any(|p| matches(p, tag)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_wildcards() {
        assert!(matches("v1", "v1"));
        assert!(!matches("v1", "v10"));
        assert!(matches("v1*", "v10"));
        assert!(matches("v1*", "v1"));
        assert!(matches("*", ""));
        assert!(matches("*", "anything"));
        assert!(matches("release-*-amd64", "release-2024.1-amd64"));
        assert!(!matches("release-*-amd64", "release-2024.1-arm64"));
        assert!(matches("v?", "v2"));
        assert!(!matches("v?", "v"));
        assert!(!matches("v?", "v22"));
        assert!(matches("*prod*", "app-prod-1"));
        assert!(!matches("", "x"));
        assert!(matches("", ""));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("a*b*c", "aXbYbZ"));
        assert!(matches("ü*", "über"));
    }

    #[test]
    fn many_stars_stay_fast() {
        let tag = "a".repeat(128);
        let pattern = format!("{}b", "*a".repeat(40));
        assert!(!matches(&pattern, &tag));
    }

    #[test]
    fn any_of_several() {
        let patterns = vec!["prod-*".to_string(), "latest".to_string()];
        assert!(any_tag_matches(&patterns, ["dev", "latest"]));
        assert!(!any_tag_matches(&patterns, ["dev", "staging"]));
        assert!(!any_tag_matches(&patterns, []));
    }
}
