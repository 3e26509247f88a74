//! `split_command`: a command line written as in a shell script, split into
//! words as a POSIX shell splits it, for tests whose cases are shell text
//! (the script corpus): single quotes, double quotes with their four
//! backslash escapes, backslash outside quotes, backslash-newline joins
//! lines, and leading `NAME=value` words become environment assignments.
//!
//! There is no expansion: an unquoted or double-quoted `$`, a backtick that
//! is not escaped inside double quotes, a glob character, and the operators
//! `|`, `;`, `&`, `<`, `>`, `(`, `)` are errors, so a case can never mean
//! one thing to a shell and another to the test. `sh_words` asks the real
//! `/bin/sh` for its split, to check this one against it.

use std::process::{Command, Stdio};

/// A command line split into its environment assignments and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellCommand {
    /// `NAME=value` words before the program, in order.
    pub env: Vec<(String, String)>,
    /// The program and its arguments.
    pub words: Vec<String>,
}

/// Splits `line` as a POSIX shell would (see the module docs for what is
/// refused).
pub fn split_command(line: &str) -> Result<ShellCommand, String> {
    let words = split_words(line)?;
    let mut env = Vec::new();
    let mut rest = words.into_iter().peekable();
    while let Some((word, quoted_name)) = rest.peek() {
        match assignment(word) {
            Some((name, value)) if !quoted_name => {
                env.push((name, value));
                rest.next();
            }
            _ => break,
        }
    }
    let words: Vec<String> = rest.map(|(w, _)| w).collect();
    if words.is_empty() {
        return Err(format!("no command in {line:?}"));
    }
    Ok(ShellCommand { env, words })
}

/// `NAME=value` when `word` is an assignment word.
fn assignment(word: &str) -> Option<(String, String)> {
    let (name, value) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some((name.to_owned(), value.to_owned()))
}

/// The words of `line`, each with whether any part of the text before its
/// first `=` was quoted (a quoted name is not an assignment to a shell).
fn split_words(line: &str) -> Result<Vec<(String, bool)>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    // A word exists once any character or quote of it was seen ('' is a word).
    let mut in_word = false;
    let mut quoted_before_eq = false;
    let mut chars = line.chars().peekable();
    let err = |what: &str| Err(format!("{what} in {line:?}"));
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push((std::mem::take(&mut word), quoted_before_eq));
                    in_word = false;
                    quoted_before_eq = false;
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(next) => {
                    if !word.contains('=') {
                        quoted_before_eq = true;
                    }
                    word.push(next);
                    in_word = true;
                }
                None => return err("a trailing backslash"),
            },
            '\'' => {
                if !word.contains('=') {
                    quoted_before_eq = true;
                }
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return err("an unterminated single quote"),
                    }
                }
            }
            '"' => {
                if !word.contains('=') {
                    quoted_before_eq = true;
                }
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('$' | '`' | '"' | '\\')) => word.push(e),
                            Some('\n') => {}
                            Some(other) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => return err("an unterminated double quote"),
                        },
                        Some('$') => return err("an expansion ($) inside double quotes"),
                        Some('`') => return err("a command substitution (`) inside double quotes"),
                        Some(ch) => word.push(ch),
                        None => return err("an unterminated double quote"),
                    }
                }
            }
            '$' => return err("an expansion ($)"),
            '`' => return err("a command substitution (`)"),
            '|' | ';' | '&' | '<' | '>' | '(' | ')' => return err("a shell operator"),
            '*' | '?' | '[' => return err("an unquoted glob character"),
            '#' if !in_word => break,
            '~' if !in_word => return err("an unquoted tilde"),
            other => {
                word.push(other);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push((word, quoted_before_eq));
    }
    Ok(words)
}

/// How `/bin/sh` splits `line` (assignments included, as words), for
/// checking `split_command` against the real thing. The line is evaluated,
/// so only pass lines `split_command` accepted (they expand nothing).
pub fn sh_words(line: &str) -> Vec<String> {
    // `set --` takes assignment-looking words as positional parameters too.
    let out = Command::new("sh")
        .args([
            "-c",
            r#"eval "set -- $1"; for w in "$@"; do printf '%s\0' "$w"; done"#,
            "sh",
            line,
        ])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    assert!(out.status.success(), "sh could not split {line:?}: {out:?}");
    let text = String::from_utf8(out.stdout).expect("sh printed UTF-8");
    text.split_terminator('\0').map(str::to_owned).collect()
}
