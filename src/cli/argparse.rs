//! argparse's habits, in one place, for every parser of rcr.
//!
//! aws parses a command line with Python's argparse in stages: the main
//! parser (the global options, then the service word), the service's parser
//! (the operation word), then the operation's parser (its own options). Each
//! stage accepts any unambiguous prefix of a long option it knows (`--out`
//! for `--output`), an exact name always winning, and stops with
//! `ambiguous option: --x could match --xa, --xb` when a prefix names
//! several. A prefix is matched by the first stage that knows a matching
//! option: `--re` is `--region` (a global) even on an operation that has
//! `--repository-name`.
//!
//! clap knows exact names only, so the stages here rewrite each abbreviated
//! option word to its full name before clap parses ([`expand_globals`] for
//! the main parser, [`expand_options`] for a command's own options); a line
//! without abbreviations is returned as it came, with no allocation.
//! [`stray_words`] finds what the operation's parser would leave over
//! (reported as `Unknown options` only after the required arguments are
//! checked, as aws does). [`close_matches`] gives the `Maybe you meant:`
//! suggestions of an invalid choice.

use std::borrow::Cow;

use crate::error::Error;

/// What a command-line word names among a parser's long options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named<'n> {
    /// The word is not an option word (a value, a positional word).
    NotAnOption,
    /// The word names an option exactly (`--output`, `--output=json`).
    Exact,
    /// The word is a unique prefix of this option (`--out`, `--out=json`).
    Prefix(&'n str),
    /// No option of this parser starts with the word.
    Unknown,
}

/// Whether argparse reads `word` as an option word ('O') rather than an
/// argument ('A'): it starts with a dash, is not a lone dash, a negative
/// number or (when it names no option) a word with a space.
pub fn is_option_word(word: &str) -> bool {
    let Some(rest) = word.strip_prefix('-') else {
        return false;
    };
    if rest.is_empty() || looks_negative_number(word) {
        return false;
    }
    // A word with a space is an argument unless it names an option, which
    // for a long option is decided by the caller's lookup first.
    !word.contains(' ') || word.starts_with("--")
}

/// argparse's `^-\d+$|^-\d*\.\d+$`.
fn looks_negative_number(word: &str) -> bool {
    let Some(rest) = word.strip_prefix('-') else {
        return false;
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(rest) {
        return true;
    }
    match rest.split_once('.') {
        Some((int, frac)) => (int.is_empty() || all_digits(int)) && all_digits(frac),
        None => false,
    }
}

/// Looks `word` up among `names` (long option names without their dashes,
/// in the order the parser defines them), as argparse does: exact, then
/// exact before a `=`, then prefixes (of the part before a `=`). More than
/// one prefix match is argparse's ambiguity error.
pub fn lookup<'n>(word: &str, names: &[&'n str]) -> Result<Named<'n>, Error> {
    let Some(flag) = word.strip_prefix("--") else {
        return Ok(Named::NotAnOption);
    };
    if flag.is_empty() {
        return Ok(Named::NotAnOption);
    }
    let (stem, _) = flag.split_once('=').unwrap_or((flag, ""));
    if names.contains(&flag) || (flag.contains('=') && names.contains(&stem)) {
        return Ok(Named::Exact);
    }
    let mut matches = names.iter().copied().filter(|n| n.starts_with(stem));
    let Some(first) = matches.next() else {
        return Ok(Named::Unknown);
    };
    let rest: Vec<&str> = matches.collect();
    if rest.is_empty() {
        return Ok(Named::Prefix(first));
    }
    let all: Vec<String> = std::iter::once(first)
        .chain(rest)
        .map(|n| format!("--{n}"))
        .collect();
    Err(Error::usage(format!(
        "ambiguous option: {word} could match {}",
        all.join(", ")
    )))
}

/// The word with its abbreviated name replaced by `full` (a `=value`
/// kept as typed).
fn spelled_out(word: &str, full: &str) -> String {
    match word.split_once('=') {
        Some((_, value)) => format!("--{full}={value}"),
        None => format!("--{full}"),
    }
}

/// Rewrites each option word that abbreviates one of `names` to its full
/// name; other words stay as typed. Words after a lone `--` are arguments.
/// `skip` names options this stage must leave alone (another stage's).
pub fn expand_options<'a>(
    args: &'a [String],
    names: &[&str],
    skip: impl Fn(&str) -> bool,
) -> Result<Cow<'a, [String]>, Error> {
    let mut out: Option<Vec<String>> = None;
    for (i, word) in args.iter().enumerate() {
        if word == "--" {
            break;
        }
        if !word.starts_with("--") || skip(word) {
            continue;
        }
        if let Named::Prefix(full) = lookup(word, names)? {
            out.get_or_insert_with(|| args.to_vec())[i] = spelled_out(word, full);
        }
    }
    Ok(match out {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(args),
    })
}

/// The main parser's stage: global options spelled out.
pub fn expand_globals(args: &[String]) -> Result<Cow<'_, [String]>, Error> {
    expand_options(args, super::globals::NAMES, |_| false)
}

/// How many argument words an option takes, as argparse's `nargs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// A switch.
    None,
    /// Exactly one (`nargs=None`).
    One,
    /// Zero or one (`nargs='?'`).
    Optional,
    /// One or more (`nargs='+'`).
    Many,
}

/// The words no option or positional takes, in the order argparse leaves
/// them (its "extras"), given each known option's arity (`option` answers
/// for a word's name without dashes and `=value`) and how many positional
/// words lead the line (service, operation, ...). A value that argparse
/// would refuse (an option word where an argument is expected) is not
/// taken, so the parser reports it.
pub fn stray_words(
    args: &[String],
    option: impl Fn(&str) -> Option<Arity>,
    positionals: usize,
) -> Vec<usize> {
    let mut strays = Vec::new();
    let mut seen_positionals = 0;
    let mut i = 0;
    while i < args.len() {
        let word = args[i].as_str();
        i += 1;
        if word == "--" {
            // Everything after is an argument.
            while i < args.len() {
                if seen_positionals < positionals {
                    seen_positionals += 1;
                } else {
                    strays.push(i);
                }
                i += 1;
            }
            break;
        }
        if !is_option_word(word) {
            if seen_positionals < positionals {
                seen_positionals += 1;
            } else {
                strays.push(i - 1);
            }
            continue;
        }
        let flag = word.trim_start_matches('-');
        let (name, inline) = match flag.split_once('=') {
            Some((n, _)) => (n, true),
            None => (flag, false),
        };
        let arity = match word.starts_with("--").then(|| option(name)).flatten() {
            Some(a) => a,
            None => {
                strays.push(i - 1);
                continue;
            }
        };
        if inline {
            continue;
        }
        let is_argument = |j: usize| args.get(j).is_some_and(|w| !is_option_word(w));
        match arity {
            Arity::None => {}
            Arity::One | Arity::Optional => {
                if is_argument(i) {
                    i += 1;
                }
            }
            Arity::Many => {
                while is_argument(i) {
                    i += 1;
                }
            }
        }
    }
    strays
}

/// argparse's invalid-choice error for `argument` (`command`,
/// `operation`, `--output`, ...), with aws's `Maybe you meant:` list of up
/// to three close choices (similarity at least 0.8), when there are any.
pub fn invalid_choice(argument: &str, word: &str, choices: &[&str]) -> Error {
    let close = close_matches(word, choices, 3, 0.8);
    if close.is_empty() {
        return Error::usage(format!(
            "argument {argument}: Found invalid choice '{word}'\n"
        ));
    }
    let listed: Vec<String> = close.iter().map(|c| format!("  * {c}")).collect();
    Error::usage(format!(
        "argument {argument}: Found invalid choice '{word}'\n\nMaybe you meant:\n\n{}",
        listed.join("\n")
    ))
}

/// Up to `n` of `choices` close to `word`, best first, as Python's
/// `difflib.get_close_matches` ranks them (similarity ratio at least
/// `cutoff`; ties keep the later choice first, as its heap does).
pub fn close_matches<'c>(word: &str, choices: &[&'c str], n: usize, cutoff: f64) -> Vec<&'c str> {
    let mut scored: Vec<(f64, &str)> = choices
        .iter()
        .filter_map(|c| {
            let r = ratio(c, word);
            (r >= cutoff).then_some((r, *c))
        })
        .collect();
    // Python sorts (score, word) pairs descending: ties by the word, larger first.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.cmp(a.1)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// difflib's `SequenceMatcher(None, a, b).ratio()`: twice the matched
/// characters over the total, the matches found by repeatedly taking the
/// longest common block (the earliest in `a`, then in `b`) and recursing on
/// both sides. Its "junk" heuristic only applies to sequences of 200 or more
/// items, longer than any option or choice.
pub fn ratio(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matched(&a, &b) as f64 / total as f64
}

fn matched(a: &[char], b: &[char]) -> usize {
    let (i, j, size) = longest_block(a, b);
    if size == 0 {
        return 0;
    }
    size + matched(&a[..i], &b[..j]) + matched(&a[i + size..], &b[j + size..])
}

/// The longest common block of `a` and `b`: `(start in a, start in b,
/// length)`, the earliest in `a` and then in `b` among the longest.
fn longest_block(a: &[char], b: &[char]) -> (usize, usize, usize) {
    let mut best = (0, 0, 0);
    // lengths[j + 1]: the common block ending at a[i], b[j].
    let mut prev = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            if ca == cb {
                let k = prev[j] + 1;
                row[j + 1] = k;
                if k > best.2 {
                    best = (i + 1 - k, j + 1 - k, k);
                }
            }
        }
        prev = row;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &[
        "output",
        "query",
        "profile",
        "region",
        "no-paginate",
        "no-sign-request",
    ];

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exact_wins_then_unique_prefix() {
        assert_eq!(lookup("--output", NAMES).ok(), Some(Named::Exact));
        assert_eq!(lookup("--output=json", NAMES).ok(), Some(Named::Exact));
        assert_eq!(lookup("--out", NAMES).ok(), Some(Named::Prefix("output")));
        assert_eq!(
            lookup("--out=text", NAMES).ok(),
            Some(Named::Prefix("output"))
        );
        assert_eq!(lookup("--bogus", NAMES).ok(), Some(Named::Unknown));
        assert_eq!(lookup("value", NAMES).ok(), Some(Named::NotAnOption));
        assert_eq!(lookup("--", NAMES).ok(), Some(Named::NotAnOption));
    }

    #[test]
    fn ambiguous_prefix_names_every_match_in_order() {
        let e = lookup("--no", NAMES).expect_err("ambiguous");
        assert_eq!(
            e.to_string(),
            Error::usage("ambiguous option: --no could match --no-paginate, --no-sign-request")
                .to_string()
        );
    }

    #[test]
    fn expansion_borrows_when_nothing_changes() {
        let args = words(&["ecr", "describe-repositories", "--output", "json"]);
        assert!(matches!(
            expand_options(&args, NAMES, |_| false),
            Ok(Cow::Borrowed(_))
        ));
        let args = words(&["--out=text", "ecr", "x", "--qu", "a", "--", "--pro"]);
        let out = expand_options(&args, NAMES, |_| false).expect("expands");
        assert_eq!(
            out.as_ref(),
            words(&["--output=text", "ecr", "x", "--query", "a", "--", "--pro"])
        );
    }

    #[test]
    fn option_words() {
        assert!(is_option_word("--x"));
        assert!(is_option_word("-x"));
        assert!(!is_option_word("-"));
        assert!(!is_option_word("-1"));
        assert!(!is_option_word("-1.5"));
        assert!(!is_option_word("-.5"));
        assert!(!is_option_word("-a b"));
        assert!(!is_option_word("x"));
    }

    #[test]
    fn strays_are_what_no_option_takes() {
        let arity = |n: &str| match n {
            "force" => Some(Arity::None),
            "name" => Some(Arity::One),
            "ids" => Some(Arity::Many),
            "skeleton" => Some(Arity::Optional),
            _ => None,
        };
        let args = words(&[
            "ecr", "op", "--force", "yes", "--name", "a", "b", "--ids", "1", "2", "--bogus", "-1",
        ]);
        assert_eq!(stray_words(&args, arity, 2), vec![3, 6, 10, 11]);
        let args = words(&[
            "ecr",
            "op",
            "--name",
            "--force",
            "--skeleton",
            "--name=x",
            "y",
        ]);
        assert_eq!(stray_words(&args, arity, 2), vec![6]);
    }

    #[test]
    fn invalid_choices_suggest_close_ones() {
        let formats = ["json", "text", "table", "yaml", "yaml-stream", "off"];
        let e = invalid_choice("--output", "yaml-s", &formats);
        assert_eq!(
            e.to_string(),
            Error::usage(
                "argument --output: Found invalid choice 'yaml-s'\n\nMaybe you meant:\n\n  * yaml"
            )
            .to_string()
        );
        let e = invalid_choice("--output", "tbl", &formats);
        assert!(!e.to_string().contains("Maybe"), "{e}");
        // Best first; equal scores: the larger word first.
        let commands = ["ecs", "ecr", "ec2", "s3"];
        assert_eq!(
            close_matches("ec", &commands, 3, 0.8),
            vec!["ecs", "ecr", "ec2"]
        );
        assert_eq!(close_matches("ecr2", &commands, 3, 0.8), vec!["ecr", "ec2"]);
    }

    #[test]
    fn ratios_as_difflib() {
        assert_eq!(ratio("abcd", "bcde"), 0.75);
        assert_eq!(ratio("", ""), 1.0);
        assert!(
            (ratio("describe-repositoriez", "describe-repositories") - 40.0 / 42.0).abs() < 1e-12
        );
        assert_eq!(
            close_matches("jsn", &["json", "text", "table"], 3, 0.6),
            vec!["json"]
        );
        assert!(close_matches("zzz", &["json"], 3, 0.6).is_empty());
    }
}
