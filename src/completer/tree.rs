//! The command tree as the completer walks it: which words are commands
//! at each level and which options each command takes, with how many values.
//!
//! Options come from the same definitions the parser uses (the global
//! options table and `cli::operation_command`, built for one operation at a
//! time), so the completer offers exactly what rcr accepts. The
//! customizations come from their table (`custom::CUSTOMIZATIONS`) and their
//! own command trees ([`super::extra`]).

use crate::cli::{self, globals::GLOBAL_OPTIONS};
use crate::custom::{self, Customization};
use crate::model::{Member, Operation, Service};
use crate::sdk;

use super::extra::{self, ValueKind};

/// A command on the line, from the root down.
#[derive(Debug, Clone, Copy)]
pub enum Node {
    Root,
    Service(&'static Service),
    /// `wait`: its children are the waiters.
    Wait(&'static Service),
    /// An operation, or a waiter (which takes its operation's options).
    Operation(&'static Service, &'static Operation),
    /// A customization (its service, if it stands under one), or one of
    /// its subcommands.
    Custom(
        &'static Customization,
        Option<&'static Service>,
        Option<&'static str>,
    ),
}

/// How many words an option takes, as argparse's `nargs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nargs {
    /// A switch: `--force`.
    Zero,
    One,
    /// One when the next word is not an option (`--generate-cli-skeleton`).
    Optional,
    /// One or more, until the next option (lists).
    Many,
}

/// One option of a command (or a global one).
#[derive(Debug, Clone)]
pub struct Opt {
    /// Without the leading dashes.
    pub name: String,
    pub nargs: Nargs,
    pub global: bool,
    /// The input member the option sets (operations only).
    pub member: Option<&'static Member>,
    /// What its values are, for the customizations' options.
    pub kind: Option<ValueKind>,
}

/// The global options aws v2 has that rcr's table may not list yet
/// (`--cli-error-format`, aws v2.34): offered and parsed all the same.
const MORE_GLOBALS: &[&str] = &["cli-error-format"];

/// The global options, accepted at every level.
pub fn globals() -> Vec<Opt> {
    let mut out: Vec<Opt> = GLOBAL_OPTIONS
        .iter()
        .map(|o| Opt {
            name: o.name.to_string(),
            nargs: if o.value.is_some() {
                Nargs::One
            } else {
                Nargs::Zero
            },
            global: true,
            member: None,
            kind: None,
        })
        .collect();
    for name in MORE_GLOBALS {
        if !out.iter().any(|o| o.name == *name) {
            out.push(Opt {
                name: (*name).to_string(),
                nargs: Nargs::One,
                global: true,
                member: None,
                kind: None,
            });
        }
    }
    out
}

impl Node {
    /// The command words that may follow this command.
    pub fn children(&self) -> Vec<&'static str> {
        match self {
            Node::Root => {
                let mut out: Vec<&str> = sdk::SERVICES.iter().map(|s| s.cli_name).collect();
                out.extend(custom::top_levels().map(|c| c.name));
                out
            }
            Node::Service(service) => {
                let mut out: Vec<&str> = service.operations.iter().map(|o| o.cli_name).collect();
                out.extend(custom::for_service(service).map(|c| c.name));
                out
            }
            Node::Wait(service) => service.waiters.iter().map(|w| w.cli_name).collect(),
            Node::Custom(_, _, Some(_)) | Node::Operation(..) => Vec::new(),
            Node::Custom(..) => self
                .command()
                .map(|c| {
                    c.get_subcommands()
                        .map(|s| s.get_name())
                        .filter(|n| *n != "help")
                        .map(|n| extra::leak(n.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The command named `word` under this one.
    pub fn child(&self, word: &str) -> Option<Node> {
        match self {
            Node::Root => sdk::service(word)
                .map(Node::Service)
                .or_else(|| custom::top_level(word).map(|c| Node::Custom(c, None, None))),
            Node::Service(service) => match custom::of_service(service, word) {
                // The waiters take their operations' options, members and all.
                Some(c) if c.name == custom::wait::NAME => Some(Node::Wait(service)),
                Some(c) => Some(Node::Custom(c, Some(service), None)),
                None => service
                    .operation(word)
                    .map(|op| Node::Operation(service, op)),
            },
            Node::Wait(service) => {
                let waiter = service.waiter(word)?;
                let op = service
                    .operations
                    .iter()
                    .find(|o| o.name == waiter.operation)?;
                Some(Node::Operation(service, op))
            }
            Node::Custom(c, service, None) => self
                .children()
                .into_iter()
                .find(|n| *n == word)
                .map(|n| Node::Custom(c, *service, Some(n))),
            Node::Custom(_, _, Some(_)) | Node::Operation(..) => None,
        }
    }

    /// A customization's clap command (or subcommand) this node stands for.
    fn command(&self) -> Option<clap::Command> {
        let Node::Custom(c, service, sub) = self else {
            return None;
        };
        let command = (c.command)(*service);
        match sub {
            None => Some(command),
            Some(name) => command.find_subcommand(name).cloned(),
        }
    }

    /// The command's own options (not the global ones), in the parser's order.
    pub fn options(&self) -> Vec<Opt> {
        match self {
            Node::Operation(service, op) => operation_options(service, op),
            Node::Custom(..) => self
                .command()
                .map(|c| extra::options(&c))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The kind of the `index`-th positional argument, for commands that
    /// take positionals (only customizations; aws's ECR commands take none).
    pub fn positional(&self, index: usize) -> Option<ValueKind> {
        self.command().and_then(|c| extra::positional(&c, index))
    }

    /// The service this command belongs to, if any.
    pub fn service(&self) -> Option<&'static Service> {
        match self {
            Node::Service(s) | Node::Wait(s) | Node::Operation(s, _) => Some(s),
            Node::Custom(_, s, _) => *s,
            Node::Root => None,
        }
    }
}

/// An operation's options from the parser's own clap command, each tied to
/// the input member it sets.
fn operation_options(service: &'static Service, op: &'static Operation) -> Vec<Opt> {
    let members = service.shape(op.input).kind.members();
    let command = cli::operation_command(service, op);
    command
        .get_arguments()
        .filter_map(|arg| {
            let name = arg.get_long()?.to_string();
            let member = members.iter().find(|m| m.cli_name == name);
            Some(Opt {
                name,
                nargs: nargs_of(arg),
                global: false,
                member,
                kind: None,
            })
        })
        .collect()
}

/// How many values a clap option takes, in the completer's terms.
pub(super) fn nargs_of(arg: &clap::Arg) -> Nargs {
    match arg.get_num_args() {
        _ if !arg.get_action().takes_values() => Nargs::Zero,
        // Lists take any number of words (0..), so test for many first.
        Some(r) if r.max_values() > 1 => Nargs::Many,
        Some(r) if r.min_values() == 0 => Nargs::Optional,
        _ => Nargs::One,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecr() -> &'static Service {
        sdk::service("ecr").expect("ecr")
    }

    #[test]
    fn operation_options_follow_the_parser() {
        let op = ecr().operation("describe-images").expect("op");
        let opts = operation_options(ecr(), op);
        let find = |n: &str| opts.iter().find(|o| o.name == n).map(|o| o.nargs);
        assert_eq!(find("repository-name"), Some(Nargs::One));
        assert_eq!(find("image-ids"), Some(Nargs::Many));
        assert_eq!(find("generate-cli-skeleton"), Some(Nargs::Optional));
        assert_eq!(find("max-items"), Some(Nargs::One));
        let op = ecr().operation("delete-repository").expect("op");
        let opts = operation_options(ecr(), op);
        assert_eq!(
            opts.iter().find(|o| o.name == "no-force").map(|o| o.nargs),
            Some(Nargs::Zero)
        );
    }

    #[test]
    fn commands_by_level() {
        assert!(Node::Root.children().contains(&"ecr-public"));
        let service = Node::Root.child("ecr").expect("ecr");
        let children = service.children();
        assert!(children.contains(&"describe-images"));
        assert!(children.contains(&"get-login-password"));
        assert!(children.contains(&"wait"));
        let wait = service.child("wait").expect("wait");
        assert!(wait.children().contains(&"image-scan-complete"));
        assert!(matches!(
            wait.child("image-scan-complete"),
            Some(Node::Operation(_, op)) if op.name == "DescribeImageScanFindings"
        ));
    }
}
