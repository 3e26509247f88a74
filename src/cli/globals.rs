//! aws's global options: accepted anywhere on the command line.
//!
//! One table serves the fast pre-scan that finds the service and operation
//! words, the clap definitions, and help.

/// One global option.
#[derive(Debug)]
pub struct GlobalOption {
    /// Without the leading dashes.
    pub name: &'static str,
    /// The value's name in help; `None` for a switch.
    pub value: Option<&'static str>,
    pub help: &'static str,
}

pub const GLOBAL_OPTIONS: &[GlobalOption] = &[
    GlobalOption {
        name: "debug",
        value: None,
        help: "Turn on debug logging (secrets are shown as (redacted)).",
    },
    GlobalOption {
        name: "endpoint-url",
        value: Some("string"),
        help: "Override the service's default URL with the given URL.",
    },
    GlobalOption {
        name: "no-verify-ssl",
        value: None,
        help: "Do not verify SSL certificates.",
    },
    GlobalOption {
        name: "no-paginate",
        value: None,
        help: "Disable automatic pagination: make one call and print the service's own token.",
    },
    GlobalOption {
        name: "output",
        value: Some("string"),
        help: "The formatting style for command output: json, text, table, yaml, yaml-stream, off (nothing on stdout).",
    },
    GlobalOption {
        name: "query",
        value: Some("string"),
        help: "A JMESPath query to use in filtering the response data.",
    },
    GlobalOption {
        name: "profile",
        value: Some("string"),
        help: "Use a specific profile from your credential file.",
    },
    GlobalOption {
        name: "region",
        value: Some("string"),
        help: "The region to use. Overrides config/env settings.",
    },
    GlobalOption {
        name: "version",
        value: None,
        help: "Display the version of this tool.",
    },
    GlobalOption {
        name: "color",
        value: Some("string"),
        help: "Turn on/off color output: on, off, auto.",
    },
    GlobalOption {
        name: "no-sign-request",
        value: None,
        help: "Do not sign requests. Credentials will not be loaded.",
    },
    GlobalOption {
        name: "ca-bundle",
        value: Some("string"),
        help: "The CA certificate bundle to use when verifying SSL certificates.",
    },
    GlobalOption {
        name: "cli-read-timeout",
        value: Some("int"),
        help: "The maximum socket read time in seconds; 0 means no limit. Default 60.",
    },
    GlobalOption {
        name: "cli-connect-timeout",
        value: Some("int"),
        help: "The maximum socket connect time in seconds; 0 means no limit. Default 60.",
    },
    GlobalOption {
        name: "cli-binary-format",
        value: Some("string"),
        help: "The formatting style for binary blobs: base64 (default) or raw-in-base64-out.",
    },
    GlobalOption {
        name: "cli-error-format",
        value: Some("string"),
        help: "The formatting style for error output: enhanced (default), legacy, json, yaml, text, table.",
    },
    GlobalOption {
        name: "no-cli-pager",
        value: None,
        help: "Disable the pager for output.",
    },
    GlobalOption {
        name: "cli-auto-prompt",
        value: None,
        help: "Automatically prompt for CLI input parameters (not supported by rcr yet).",
    },
    GlobalOption {
        name: "no-cli-auto-prompt",
        value: None,
        help: "Disable automatic prompt for CLI input parameters.",
    },
];

/// The names of [`GLOBAL_OPTIONS`] in the order aws's main parser defines
/// them (its ambiguity errors list matches in that order: `--c could match
/// --color, --ca-bundle, ...`), for the prefix lookup.
pub const NAMES: &[&str] = &[
    "debug",
    "endpoint-url",
    "no-verify-ssl",
    "no-paginate",
    "output",
    "query",
    "profile",
    "region",
    "version",
    "color",
    "no-sign-request",
    "ca-bundle",
    "cli-read-timeout",
    "cli-connect-timeout",
    "cli-binary-format",
    "no-cli-pager",
    "cli-auto-prompt",
    "no-cli-auto-prompt",
    "cli-error-format",
];

/// The values `--cli-error-format` accepts (aws's `VALID_ERROR_FORMATS`).
pub const ERROR_FORMATS: &[&str] = &["legacy", "json", "yaml", "text", "table", "enhanced"];

/// The values `--output` accepts.
pub const OUTPUT_FORMATS: &[&str] = &["json", "text", "table", "yaml", "yaml-stream", "off"];

/// The values `--color` accepts.
pub const COLORS: &[&str] = &["on", "off", "auto"];

/// The values `--cli-binary-format` accepts.
pub const BINARY_FORMATS: &[&str] = &["base64", "raw-in-base64-out"];

/// The global options whose values aws's main parser checks against a list
/// of choices.
const CHOICES: &[(&str, &[&str])] = &[
    ("output", OUTPUT_FORMATS),
    ("color", COLORS),
    ("cli-binary-format", BINARY_FORMATS),
    ("cli-error-format", ERROR_FORMATS),
];

/// aws's main parser's checks of the global options' values, in
/// command-line order (the first bad one is the error, before the
/// service's and the operation's words are looked at): a value missing
/// (`argument --region: expected one argument`) or not among the choices
/// (`argument --output: Found invalid choice 'csv'`, with suggestions).
/// `args` has its global options spelled out.
pub fn check_choices(args: &[String]) -> Result<(), crate::error::Error> {
    let mut i = 0;
    while i < args.len() {
        let word = args[i].as_str();
        i += 1;
        if word == "--" {
            break;
        }
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (flag, None),
        };
        if find(name).is_none_or(|o| o.value.is_none()) {
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match args.get(i) {
                Some(v) if !super::argparse::is_option_word(v) => {
                    i += 1;
                    v.as_str()
                }
                _ => {
                    return Err(crate::error::Error::usage(format!(
                        "argument --{name}: expected one argument"
                    )));
                }
            },
        };
        if let Some((_, choices)) = CHOICES.iter().find(|(n, _)| *n == name)
            && !choices.contains(&value)
        {
            return Err(super::argparse::invalid_choice(
                &format!("--{name}"),
                value,
                choices,
            ));
        }
    }
    Ok(())
}

/// The value of the last `--name value` / `--name=value` of a global
/// option on the line (spelled out), as the parser keeps it.
pub fn last_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let word = args[i].as_str();
        i += 1;
        if word == "--" {
            break;
        }
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        if flag == name {
            if let Some(v) = args.get(i).filter(|v| !super::argparse::is_option_word(v)) {
                found = Some(v.as_str());
                i += 1;
            }
        } else if let Some(v) = flag.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            found = Some(v);
        }
    }
    found
}

/// The positional words as aws's main, service and `wait` parsers take
/// them: every argument word that is not a global option's value, options
/// they do not know taking no value (`rcr ecr --repository-name x
/// describe-images` names the operation `x`, as in aws). The first is the
/// command, the second the operation.
pub fn command_words(args: &[String]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let word = args[i].as_str();
        i += 1;
        if word == "--" {
            words.extend(args[i..].iter().map(String::as_str));
            break;
        }
        if !super::argparse::is_option_word(word) {
            words.push(word);
            continue;
        }
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        if flag.contains('=') {
            continue;
        }
        if find(flag).is_some_and(|o| o.value.is_some())
            && args
                .get(i)
                .is_some_and(|v| !super::argparse::is_option_word(v))
        {
            i += 1;
        }
    }
    words
}

static PARSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records that the global options parsed and passed their choice checks,
/// as aws's main parser would have them: only then does aws format an error
/// with `--cli-error-format` and `--query` from the command line.
pub fn mark_parsed() {
    PARSED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether [`mark_parsed`] ran.
pub fn parsed() -> bool {
    PARSED.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn find(name: &str) -> Option<&'static GlobalOption> {
    GLOBAL_OPTIONS.iter().find(|o| o.name == name)
}

/// The positional words of a command line (service, operation, ...), skipping
/// global options and their values, without knowing the operation's flags.
/// Stops at the first operation flag: positionals after it are its values.
pub fn positionals(args: &[String]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if let Some(flag) = arg.strip_prefix("--") {
            let (name, inline_value) = match flag.split_once('=') {
                Some((n, _)) => (n, true),
                None => (flag, false),
            };
            match find(name) {
                Some(opt) if opt.value.is_some() && !inline_value => i += 2,
                Some(_) => i += 1,
                None => break,
            }
            continue;
        }
        words.push(arg);
        i += 1;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::owned_words;

    #[test]
    fn names_follow_the_table() {
        let mut table: Vec<&str> = GLOBAL_OPTIONS.iter().map(|o| o.name).collect();
        let mut names = NAMES.to_vec();
        table.sort_unstable();
        names.sort_unstable();
        assert_eq!(table, names);
    }

    #[test]
    fn command_words_are_argparse_positionals() {
        let args = owned_words(&[
            "--region",
            "us-east-1",
            "ecr",
            "--repository-name",
            "x",
            "describe-images",
            "--output=text",
        ]);
        assert_eq!(command_words(&args), vec!["ecr", "x", "describe-images"]);
    }

    #[test]
    fn choices_are_checked_in_order() {
        let args = owned_words(&[
            "--color",
            "on",
            "ecr",
            "--output",
            "csv",
            "--cli-error-format=x",
        ]);
        let e = check_choices(&args).expect_err("csv");
        assert!(
            e.to_string()
                .contains("argument --output: Found invalid choice 'csv'"),
            "{e}"
        );
        let args = owned_words(&["--output=yaml", "--cli-binary-format", "raw-in-base64-out"]);
        assert!(check_choices(&args).is_ok());
    }

    #[test]
    fn skips_global_options_anywhere() {
        let args = owned_words(&[
            "--region",
            "us-east-1",
            "ecr",
            "--debug",
            "describe-images",
            "--repository-name",
            "x",
        ]);
        assert_eq!(positionals(&args), vec!["ecr", "describe-images"]);
        let args = owned_words(&["--output=json", "ecr-public", "describe-registries"]);
        assert_eq!(
            positionals(&args),
            vec!["ecr-public", "describe-registries"]
        );
    }
}
