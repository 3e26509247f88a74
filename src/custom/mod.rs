//! The customizations: commands that are not one model operation, in one
//! table.
//!
//! As in aws, `get-login-password` (a password for `docker login`) and
//! `wait` (polling an operation until a waiter's acceptor matches) stand
//! after a service; rcr's own commands (`credential-helper`, `image`) stand
//! at the top, where aws has none. Each is one [`Customization`] in
//! [`CUSTOMIZATIONS`] plus its own module: the entry dispatches through the
//! table, `help` and the man pages list and render its pages, and the
//! completions and `rcr_completer` read its command tree. Adding one is one
//! entry here and its file, nothing else.
//!
//! `help.rs` and `html.rs` render help pages from the model documentation
//! and the table; they do no I/O.

pub mod help;
pub mod html;
pub mod login;
pub mod wait;

use clap::Command;

use crate::error::Error;
use crate::model::Service;
use help::Page;

/// Where a customization's name stands on the command line.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Right after `rcr`: `rcr credential-helper doctor`.
    Top,
    /// After a service, for the services `applies` accepts:
    /// `rcr ecr get-login-password`.
    Service(fn(&Service) -> bool),
}

/// One command that is not one model operation.
pub struct Customization {
    /// The word that names it.
    pub name: &'static str,
    pub scope: Scope,
    /// One line for the listings of `help` and the man pages.
    pub about: &'static str,
    /// Its whole command tree (subcommands, options, choices) under its
    /// parent (`None` at the top), for the completions and the man pages.
    pub command: fn(Option<&'static Service>) -> Command,
    /// The help page named by the words after its name (none: its own page).
    pub help: fn(Option<&'static Service>, &[&str]) -> Result<Page, Error>,
    /// Every help page it has (the man pages).
    pub pages: fn(Option<&'static Service>) -> Vec<Page>,
    /// Parses the whole command line (without the program name) and runs it.
    pub run: fn(Option<&'static Service>, &[String]) -> Result<(), Error>,
}

impl std::fmt::Debug for Customization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Customization")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Every customization, in the order listings show them.
pub static CUSTOMIZATIONS: &[&Customization] = &[
    &login::CUSTOMIZATION,
    &wait::CUSTOMIZATION,
    &crate::credhelper::cli::CUSTOMIZATION,
    &crate::image::CUSTOMIZATION,
];

/// The top-level customization named `name`.
pub fn top_level(name: &str) -> Option<&'static Customization> {
    CUSTOMIZATIONS
        .iter()
        .copied()
        .find(|c| c.name == name && matches!(c.scope, Scope::Top))
}

/// The customization `name` of `service`.
pub fn of_service(service: &Service, name: &str) -> Option<&'static Customization> {
    CUSTOMIZATIONS
        .iter()
        .copied()
        .find(|c| c.name == name && c.applies_to(service))
}

/// The customizations of `service`, in table order.
pub fn for_service(service: &Service) -> impl Iterator<Item = &'static Customization> + '_ {
    CUSTOMIZATIONS
        .iter()
        .copied()
        .filter(move |c| c.applies_to(service))
}

/// The top-level customizations, in table order.
pub fn top_levels() -> impl Iterator<Item = &'static Customization> {
    CUSTOMIZATIONS
        .iter()
        .copied()
        .filter(|c| matches!(c.scope, Scope::Top))
}

impl Customization {
    fn applies_to(&self, service: &Service) -> bool {
        match self.scope {
            Scope::Top => false,
            Scope::Service(applies) => applies(service),
        }
    }
}

/// Every service, operation and customization as one clap tree, for the
/// completions and man pages, with short descriptions from the model and
/// the table.
pub fn full_tree() -> Command {
    let help = || Command::new("help").about("Show help for this command.");
    let mut root = crate::cli::root_with_choices()
        .about("A fast drop-in replacement for aws ecr and aws ecr-public.")
        .subcommand(help());
    for service in crate::sdk::SERVICES {
        let mut svc = Command::new(service.cli_name)
            .about(html::summary(service.doc, 80))
            .disable_help_subcommand(true)
            .subcommand(help());
        for c in for_service(service) {
            svc = svc.subcommand((c.command)(Some(service)).about(c.about));
        }
        for op in service.operations {
            svc = svc.subcommand(
                crate::cli::tree_operation(service, op).about(html::summary(op.doc, 80)),
            );
        }
        root = root.subcommand(svc);
    }
    for c in top_levels() {
        root = root.subcommand((c.command)(None).about(c.about));
    }
    root
}

/// Prints the help page named by `words` (the positional words before
/// `help`, or all of them with `--help`) on stdout.
///
/// aws pages help through its pager on a terminal; rcr writes it directly.
pub fn print_help(words: &[&str]) -> Result<(), Error> {
    let page = help::page_for(words)?;
    let text = help::render_text(&page, help::WIDTH);
    crate::output::print_bytes(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_where_they_stand() {
        for (i, a) in CUSTOMIZATIONS.iter().enumerate() {
            for b in &CUSTOMIZATIONS[i + 1..] {
                let clash = a.name == b.name
                    && crate::sdk::SERVICES.iter().any(|s| {
                        (a.applies_to(s) && b.applies_to(s))
                            || matches!((a.scope, b.scope), (Scope::Top, Scope::Top))
                    });
                assert!(!clash, "{} twice", a.name);
            }
        }
        for c in top_levels() {
            assert!(
                crate::sdk::service(c.name).is_none(),
                "{} is a service",
                c.name
            );
        }
    }
}
