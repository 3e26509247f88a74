//! The command tree as the completer walks it: which words are commands
//! at each level and which options each command takes, with how many values.
//!
//! Options come from the same definitions the parser uses (the global
//! options table and `cli::operation_command`, built for one operation at a
//! time), so the completer offers exactly what rcr accepts. Commands rcr has
//! beyond the services (`rcr image`) come from [`super::extra`].

use crate::cli::{self, LOGIN, globals::GLOBAL_OPTIONS};
use crate::model::{Member, Operation, Service};
use crate::sdk;

use super::extra::{self, ExtraCommand, ExtraSubcommand, ValueKind};

/// A command on the line, from the root down.
#[derive(Debug, Clone, Copy)]
pub enum Node {
    Root,
    Service(&'static Service),
    /// `get-login-password`: global options only.
    Login(&'static Service),
    /// `wait`: its children are the waiters.
    Wait(&'static Service),
    /// An operation, or a waiter (which takes its operation's options).
    Operation(&'static Service, &'static Operation),
    Extra(&'static ExtraCommand),
    ExtraSub(&'static ExtraSubcommand),
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
    /// What its values are, for commands described by [`super::extra`].
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
                out.extend(extra::COMMANDS.iter().map(|c| c.name));
                out
            }
            Node::Service(service) => {
                let mut out: Vec<&str> = service.operations.iter().map(|o| o.cli_name).collect();
                out.push(LOGIN);
                if !service.waiters.is_empty() {
                    out.push("wait");
                }
                out
            }
            Node::Wait(service) => service.waiters.iter().map(|w| w.cli_name).collect(),
            Node::Extra(command) => command.subcommands.iter().map(|s| s.name).collect(),
            Node::Login(_) | Node::Operation(..) | Node::ExtraSub(_) => Vec::new(),
        }
    }

    /// The command named `word` under this one.
    pub fn child(&self, word: &str) -> Option<Node> {
        match self {
            Node::Root => sdk::service(word).map(Node::Service).or_else(|| {
                extra::COMMANDS
                    .iter()
                    .find(|c| c.name == word)
                    .map(Node::Extra)
            }),
            Node::Service(service) => match word {
                LOGIN => Some(Node::Login(service)),
                "wait" if !service.waiters.is_empty() => Some(Node::Wait(service)),
                _ => service
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
            Node::Extra(command) => command
                .subcommands
                .iter()
                .find(|s| s.name == word)
                .map(Node::ExtraSub),
            Node::Login(_) | Node::Operation(..) | Node::ExtraSub(_) => None,
        }
    }

    /// The command's own options (not the global ones), in the parser's order.
    pub fn options(&self) -> Vec<Opt> {
        match self {
            Node::Operation(service, op) => operation_options(service, op),
            Node::ExtraSub(sub) => sub
                .options
                .iter()
                .map(|o| Opt {
                    name: o.name.to_string(),
                    nargs: o.nargs,
                    global: false,
                    member: None,
                    kind: Some(o.kind),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The kind of the `index`-th positional argument, for commands that
    /// take positionals (only those of [`super::extra`]; aws's ECR commands
    /// take none).
    pub fn positional(&self, index: usize) -> Option<ValueKind> {
        match self {
            Node::ExtraSub(sub) => sub
                .positionals
                .get(index)
                .or_else(|| sub.positionals.last().filter(|_| sub.last_repeats))
                .copied(),
            _ => None,
        }
    }

    /// The service this command belongs to, if any.
    pub fn service(&self) -> Option<&'static Service> {
        match self {
            Node::Service(s) | Node::Login(s) | Node::Wait(s) | Node::Operation(s, _) => Some(s),
            Node::Root | Node::Extra(_) | Node::ExtraSub(_) => None,
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
            let takes_values = arg.get_action().takes_values();
            let range = arg.get_num_args();
            let nargs = match range {
                _ if !takes_values => Nargs::Zero,
                Some(r) if r.min_values() == 0 => Nargs::Optional,
                Some(r) if r.max_values() > 1 => Nargs::Many,
                _ => Nargs::One,
            };
            Some(Opt {
                name,
                nargs,
                global: false,
                member,
                kind: None,
            })
        })
        .collect()
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
