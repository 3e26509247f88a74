//! The customizations (`custom::CUSTOMIZATIONS`: `get-login-password`,
//! `credential-helper`, `rcr image`, ...) as the completer sees them: their
//! own clap trees, the ones the parser, help and man pages use, read for
//! subcommands, options, positionals and choices.
//!
//! What a value is (a repository, a tag, ...) is read from the argument's
//! long name or value name, by the conventions below, so that a
//! customization's completion needs nothing but its command definition:
//! name a repository argument `repository` (or `--repository-name`), a
//! registry id `--registry-id`, an image `tag-or-digest` / `source`, an
//! existing tag `tag` / `--keep-tag` (a new tag is free text).

use clap::{Arg, Command};

use super::tree::{Opt, nargs_of};

/// What a value is, so the completer knows what to offer for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text: nothing to offer.
    Text,
    /// A repository name of the private registry (from DescribeRepositories).
    Repository,
    /// A registry id (from DescribeRepositories).
    RegistryId,
    /// A tag or a digest of an image in the repository given before it.
    TagOrDigest,
    /// A tag of an image in the repository given before it.
    Tag,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
}

/// What a value named `name` (an option's long name or a value name) is.
fn kind_of_name(name: &str) -> Option<ValueKind> {
    match name.to_ascii_lowercase().replace('_', "-").as_str() {
        "repository" | "repository-name" => Some(ValueKind::Repository),
        "registry-id" => Some(ValueKind::RegistryId),
        "tag-or-digest" | "source" | "image" => Some(ValueKind::TagOrDigest),
        "tag" | "keep-tag" | "image-tag" => Some(ValueKind::Tag),
        _ => None,
    }
}

/// What the values of `arg` are.
pub fn kind_of(arg: &Arg) -> ValueKind {
    let choices: Vec<&'static str> = arg
        .get_possible_values()
        .iter()
        .map(|v| leak(v.get_name().to_string()))
        .collect();
    if !choices.is_empty() {
        return ValueKind::Choice(Box::leak(choices.into_boxed_slice()));
    }
    arg.get_long()
        .and_then(kind_of_name)
        .or_else(|| {
            arg.get_value_names()
                .into_iter()
                .flatten()
                .find_map(|n| kind_of_name(n.as_str()))
        })
        .unwrap_or(ValueKind::Text)
}

/// The options of a customization's command (`help` and positionals
/// aside).
pub fn options(command: &Command) -> Vec<Opt> {
    command
        .get_arguments()
        .filter_map(|arg| {
            let name = arg.get_long()?.to_string();
            Some(Opt {
                name,
                nargs: nargs_of(arg),
                global: false,
                member: None,
                kind: Some(kind_of(arg)),
            })
        })
        .collect()
}

/// The kind of the `index`-th positional word of `command`. One argument
/// may take every positional word, each position named by its value names
/// (`REPOSITORY SOURCE NEW_TAG`, the last repeating); else the `index`-th
/// argument, the last repeating when it takes several values.
pub fn positional(command: &Command, index: usize) -> Option<ValueKind> {
    let positionals: Vec<&Arg> = command.get_positionals().collect();
    if let [arg] = positionals.as_slice()
        && let Some(names) = arg.get_value_names()
        && names.len() > 1
    {
        let name = &names[index.min(names.len() - 1)];
        return Some(kind_of_name(name.as_str()).unwrap_or(ValueKind::Text));
    }
    let arg = positionals.get(index).or_else(|| {
        positionals
            .last()
            .filter(|a| a.get_num_args().is_some_and(|r| r.max_values() > 1))
    })?;
    Some(kind_of(arg))
}

/// Names live as long as the (short) completer process.
pub fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
