//! Commands rcr has beyond aws's (`rcr image`), described for the completer.
//!
//! aws's commands come from the service models; commands of rcr's own are
//! described here as data: their subcommands, positional arguments and
//! options, each with the kind of value it takes, so that the completer can
//! offer repository names, tags and digests, and choices. This is the hook
//! for `rcr image` (issue 14, built in parallel): when its arguments change,
//! change the table below; nothing else in the completer names them.

use super::tree::Nargs;

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

/// A top-level command of rcr's own.
#[derive(Debug)]
pub struct ExtraCommand {
    pub name: &'static str,
    pub subcommands: &'static [ExtraSubcommand],
}

#[derive(Debug)]
pub struct ExtraSubcommand {
    pub name: &'static str,
    /// The kinds of the positional arguments, in order.
    pub positionals: &'static [ValueKind],
    /// Whether the last positional may be given several times (`NEW_TAG...`).
    pub last_repeats: bool,
    pub options: &'static [ExtraOption],
}

#[derive(Debug)]
pub struct ExtraOption {
    /// Without the leading dashes.
    pub name: &'static str,
    pub nargs: Nargs,
    pub kind: ValueKind,
}

const fn opt(name: &'static str, kind: ValueKind) -> ExtraOption {
    ExtraOption {
        name,
        nargs: Nargs::One,
        kind,
    }
}

const fn switch(name: &'static str) -> ExtraOption {
    ExtraOption {
        name,
        nargs: Nargs::Zero,
        kind: ValueKind::Text,
    }
}

const SEVERITIES: &[&str] = &[
    "CRITICAL",
    "HIGH",
    "MEDIUM",
    "LOW",
    "INFORMATIONAL",
    "UNDEFINED",
];

/// `rcr image` as issue 14 specifies it.
pub static COMMANDS: &[ExtraCommand] = &[ExtraCommand {
    name: "image",
    subcommands: &[
        ExtraSubcommand {
            name: "ls",
            positionals: &[ValueKind::Repository],
            last_repeats: false,
            options: &[
                opt("registry-id", ValueKind::RegistryId),
                opt(
                    "sort",
                    ValueKind::Choice(&["pushed", "pulled", "size", "tag"]),
                ),
                switch("reverse"),
                opt("tag", ValueKind::Tag),
                switch("tagged"),
                switch("untagged"),
                opt("older-than", ValueKind::Text),
                opt("newer-than", ValueKind::Text),
                opt("limit", ValueKind::Text),
            ],
        },
        ExtraSubcommand {
            name: "retag",
            positionals: &[
                ValueKind::Repository,
                ValueKind::TagOrDigest,
                ValueKind::Text,
            ],
            last_repeats: true,
            options: &[opt("registry-id", ValueKind::RegistryId)],
        },
        ExtraSubcommand {
            name: "gc",
            positionals: &[ValueKind::Repository],
            last_repeats: false,
            options: &[
                opt("keep", ValueKind::Text),
                opt("keep-tag", ValueKind::Tag),
                opt("older-than", ValueKind::Text),
                switch("untagged"),
                switch("apply"),
                opt("registry-id", ValueKind::RegistryId),
            ],
        },
        ExtraSubcommand {
            name: "scan-gate",
            positionals: &[ValueKind::Repository, ValueKind::TagOrDigest],
            last_repeats: false,
            options: &[
                opt("fail-on", ValueKind::Choice(SEVERITIES)),
                opt("ignore", ValueKind::Text),
                opt("timeout", ValueKind::Text),
                opt("registry-id", ValueKind::RegistryId),
            ],
        },
    ],
}];
