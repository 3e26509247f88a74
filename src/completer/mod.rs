//! `rcr_completer`: tab completion in aws_completer's protocol.
//!
//! Installed as a link named `rcr_completer`, rcr reads the line being
//! typed from `COMP_LINE` and the cursor from `COMP_POINT` (what bash's
//! `complete -C` sets) and prints the candidates, one per line, so that
//! `complete -C rcr_completer rcr` works as `complete -C aws_completer aws`
//! does. The answer is built as aws_completer builds it, by a chain of
//! completers where the first that applies answers: regions and profiles
//! for `--region` and `--profile`; commands and options from the command
//! tree; `file://` paths; resource names from the service, as the models'
//! `completions-1.json` say. Then what aws does not offer: the choices of
//! global options, enum members, tags and digests of the repository on the
//! line (`--image-tag`, `imageTag=` in `--image-ids` shorthand), and the
//! arguments of rcr's own commands ([`extra`]).
//!
//! Where aws_completer gives up for no reason a user would see, rcr goes
//! on: it offers options after a switch or after a list's values (aws
//! offers nothing), offers a whole option word back so the shell adds the
//! space, completes waiters' options like their operations', reads every
//! page of a listing (aws reads the first), leaves out the values a list
//! option already has and duplicates (one registry id, not one per
//! repository), and calls the service with the profile, region and
//! endpoint given on the line (aws uses only the environment's).
//!
//! A completer runs on every TAB: it never prompts, never prints to stderr,
//! always exits 0 and gives up on a service after a short deadline
//! ([`remote`]), printing nothing when anything fails.

mod cache;
pub mod extra;
mod line;
mod remote;
mod tree;
mod values;

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Map, Value};

use crate::cli;
use crate::generated;
use crate::model::{Member, Operation, ResourceCompletion, Service, ShapeKind};
use crate::sdk;
use extra::ValueKind;
use line::{Param, Parsed};
use tree::{Node, Opt};

/// The program name the completer answers to.
pub const PROGRAM: &str = "rcr_completer";

/// Whether this process was started as `rcr_completer` (argv[0]'s file name).
pub fn invoked_as_completer() -> bool {
    std::env::args_os()
        .next()
        .is_some_and(|arg0| std::path::Path::new(&arg0).file_name() == Some(PROGRAM.as_ref()))
}

/// Prints the candidates for `COMP_LINE` / `COMP_POINT` and exits 0, whatever
/// happens (a panic included: the shell must never see an error).
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|_| std::process::exit(0)));
    let Ok(line) = std::env::var("COMP_LINE") else {
        return ExitCode::SUCCESS;
    };
    let point = std::env::var("COMP_POINT")
        .ok()
        .and_then(|p| p.trim().parse::<usize>().ok());
    let parsed = line::parse(&line, point);
    let candidates = complete(&parsed);
    let mut out = String::new();
    for c in &candidates {
        out.push_str(c);
        out.push('\n');
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    // Straight out: nothing left running may delay the shell.
    std::process::exit(0)
}

/// The candidates for a parsed line, in the order they are offered.
fn complete(parsed: &Parsed) -> Vec<String> {
    let mut out = candidates(parsed);
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.clone()));
    out
}

fn candidates(parsed: &Parsed) -> Vec<String> {
    let fragment = parsed.fragment.as_deref();
    if let (Some(Param::Option(opt)), Some(typed)) = (&parsed.current, fragment)
        && opt.global
    {
        match opt.name.as_str() {
            "region" => return starting_with(typed, values::regions(parsed.node.service())),
            "profile" => return starting_with(typed, values::profiles()),
            _ => {}
        }
    }
    if let Some(found) = commands_and_options(parsed) {
        return found;
    }
    let Some(typed) = fragment else {
        return Vec::new();
    };
    if let Some(paths) = values::file_paths(typed) {
        return paths;
    }
    if !parsed.unparsed.is_empty() {
        return Vec::new();
    }
    match &parsed.current {
        Some(Param::Option(opt)) => {
            // A list option's values given already are not offered again.
            let given = parsed.params.get(&opt.name);
            let mut found = option_values(parsed, opt, typed);
            found.retain(|v| !given.is_some_and(|g| g.contains(v)));
            found
        }
        Some(Param::Positional(kind)) => kind_values(parsed, *kind, typed),
        None => Vec::new(),
    }
}

/// aws's model completer: commands, then options (only once no command
/// can follow, or when the word starts with `--`).
fn commands_and_options(parsed: &Parsed) -> Option<Vec<String>> {
    let typed = parsed.fragment.as_deref()?;
    if !parsed.unparsed.is_empty() {
        // Words rcr does not know that look like paths (`./x`, `a:b`) or
        // options: aws still offers the options.
        let pathlike = |w: &String| w.contains(['.', '/', '\\', ':']) || w.contains("--");
        if parsed.unparsed.iter().all(pathlike) && !typed.is_empty() {
            return Some(starting_with(typed, option_names(parsed)));
        }
        return None;
    }
    if parsed.current.is_some() {
        return None;
    }
    if typed.starts_with("--") {
        return Some(starting_with(typed, option_names(parsed)));
    }
    let commands: Vec<String> = parsed
        .node
        .children()
        .iter()
        .map(|c| c.to_string())
        .collect();
    if commands.is_empty() {
        return Some(starting_with(typed, option_names(parsed)));
    }
    Some(starting_with(typed, commands))
}

/// `--name` of the command's options and the global ones, except those
/// already on the line.
fn option_names(parsed: &Parsed) -> Vec<String> {
    let own = match parsed.node {
        Node::Root => Vec::new(),
        node => node.options(),
    };
    own.into_iter()
        .chain(tree::globals())
        .filter(|o| !parsed.params.contains_key(&o.name) && !parsed.globals.contains_key(&o.name))
        .map(|o| format!("--{}", o.name))
        .collect()
}

fn starting_with(typed: &str, candidates: Vec<String>) -> Vec<String> {
    candidates
        .into_iter()
        .filter(|c| c.starts_with(typed))
        .collect()
}

/// The values of an option: choices of global options; for an operation,
/// its member's resource completion, enum members, tags and digests.
fn option_values(parsed: &Parsed, opt: &Opt, typed: &str) -> Vec<String> {
    let choices = values::global_choices(&opt.name);
    if !choices.is_empty() {
        return starting_with(typed, cli::owned_words(choices));
    }
    if let Some(kind) = opt.kind {
        return kind_values(parsed, kind, typed);
    }
    let (Node::Operation(service, op), Some(member)) = (parsed.node, opt.member) else {
        return Vec::new();
    };
    if let Some(resource) = resource_completion(service, op, member) {
        let listing = remote::Listing {
            service,
            operation: operation_named(service, resource.source),
            input: Value::Object(Map::new()),
            expression: resource.expression.to_string(),
        };
        let target = remote::Target::from_line(parsed);
        return starting_with(typed, remote::values(&target, &listing));
    }
    let enums = values::enum_values(service, member);
    if !enums.is_empty() {
        return starting_with(typed, cli::owned_words(enums));
    }
    image_values(parsed, service, member, typed)
}

/// The resource completion of an operation's member, from the service's
/// `completions-1.json` table.
fn resource_completion(
    service: &Service,
    op: &Operation,
    member: &Member,
) -> Option<&'static ResourceCompletion> {
    let table: &'static [ResourceCompletion] = match service.cli_name {
        "ecr" => &generated::ecr_completions::COMPLETIONS,
        "ecr-public" => &generated::ecr_public_completions::COMPLETIONS,
        _ => &[],
    };
    table
        .iter()
        .find(|c| c.operation == op.name && c.member == member.name)
}

fn operation_named(service: &'static Service, name: &str) -> &'static Operation {
    // The generator checked that every source operation is in the model.
    service
        .operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or(&service.operations[0])
}

/// Tags and digests for members whose shape is an image tag, an image
/// digest, or an image identifier (shorthand `imageDigest=...,imageTag=...`),
/// once the repository is on the line.
fn image_values(
    parsed: &Parsed,
    service: &'static Service,
    member: &Member,
    typed: &str,
) -> Vec<String> {
    let mut shape = service.shape(member.shape);
    if let ShapeKind::List { member, .. } = shape.kind {
        shape = service.shape(member);
    }
    let Some(repository) = parsed.param("repository-name") else {
        return Vec::new();
    };
    let registry = parsed.param("registry-id");
    match shape.name {
        "ImageTag" => starting_with(typed, tags(images(parsed, service, repository, registry))),
        "ImageDigest" => starting_with(
            typed,
            digests(images(parsed, service, repository, registry)),
        ),
        "ImageIdentifier" => {
            // The last `key=value` pair of the shorthand is the one typed.
            let (head, pair) = match typed.rfind(',') {
                Some(i) => typed.split_at(i + 1),
                None => ("", typed),
            };
            let keys: Vec<(&str, &str)> = shape
                .kind
                .members()
                .iter()
                .map(|m| (m.name, service.shape(m.shape).name))
                .collect();
            match pair.split_once('=') {
                None => starting_with(
                    typed,
                    keys.iter().map(|(k, _)| format!("{head}{k}=")).collect(),
                ),
                Some((key, _)) => {
                    let found = images(parsed, service, repository, registry);
                    let values = match keys.iter().find(|(k, _)| *k == key) {
                        Some((_, "ImageTag")) => tags(found),
                        Some((_, "ImageDigest")) => digests(found),
                        _ => Vec::new(),
                    };
                    starting_with(
                        typed,
                        values.iter().map(|v| format!("{head}{key}={v}")).collect(),
                    )
                }
            }
        }
        _ => Vec::new(),
    }
}

/// The values of an argument of rcr's own commands.
fn kind_values(parsed: &Parsed, kind: ValueKind, typed: &str) -> Vec<String> {
    let Some(ecr) = sdk::service("ecr") else {
        return Vec::new();
    };
    let registry = parsed.param("registry-id");
    let repository_listing = |expression: &str| {
        let mut input = Map::new();
        if let Some(id) = registry {
            input.insert("registryId".into(), Value::String(id.to_string()));
        }
        remote::Listing {
            service: ecr,
            operation: operation_named(ecr, "DescribeRepositories"),
            input: Value::Object(input),
            expression: expression.to_string(),
        }
    };
    let target = remote::Target::from_line(parsed);
    let repository = parsed.positionals.first().map(String::as_str);
    let found = match kind {
        ValueKind::Text => Vec::new(),
        ValueKind::Choice(choices) => cli::owned_words(choices),
        ValueKind::Repository => remote::values(
            &target,
            &repository_listing("repositories[].repositoryName"),
        ),
        ValueKind::RegistryId => {
            remote::values(&target, &repository_listing("repositories[].registryId"))
        }
        ValueKind::Tag => repository
            .map(|r| tags(images(parsed, ecr, r, registry)))
            .unwrap_or_default(),
        ValueKind::TagOrDigest => repository
            .map(|r| images(parsed, ecr, r, registry))
            .unwrap_or_default(),
    };
    starting_with(typed, found)
}

/// The tags and digests of a repository's images (tags first). A tag
/// cannot hold a `:`, a digest always does, which tells them apart.
fn images(
    parsed: &Parsed,
    service: &'static Service,
    repository: &str,
    registry: Option<&str>,
) -> Vec<String> {
    let Some(operation) = service.operation("describe-images") else {
        return Vec::new();
    };
    let mut input = Map::new();
    input.insert(
        "repositoryName".into(),
        Value::String(repository.to_string()),
    );
    if let Some(id) = registry {
        input.insert("registryId".into(), Value::String(id.to_string()));
    }
    let listing = remote::Listing {
        service,
        operation,
        input: Value::Object(input),
        expression: "[imageDetails[].imageTags[], imageDetails[].imageDigest][]".to_string(),
    };
    remote::values(&remote::Target::from_line(parsed), &listing)
}

fn tags(found: Vec<String>) -> Vec<String> {
    found.into_iter().filter(|v| !v.contains(':')).collect()
}

fn digests(found: Vec<String>) -> Vec<String> {
    found.into_iter().filter(|v| v.contains(':')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(line: &str) -> Vec<String> {
        complete(&line::parse(line, None))
    }

    #[test]
    fn commands_options_and_choices_without_a_service() {
        assert_eq!(offered("rcr ecr-"), vec!["ecr-public"]);
        assert!(offered("rcr ecr describe-im").contains(&"describe-images".to_string()));
        assert!(offered("rcr ecr ").contains(&"get-login-password".to_string()));
        assert_eq!(offered("rcr ecr wait image-"), vec!["image-scan-complete"]);
        let options = offered("rcr ecr describe-images ");
        assert!(options.contains(&"--repository-name".to_string()));
        assert!(options.contains(&"--output".to_string()));
        assert_eq!(
            offered("rcr ecr describe-images --repository-name x --repository-n"),
            Vec::<String>::new()
        );
        assert_eq!(offered("rcr --output t"), vec!["text", "table"]);
        assert_eq!(
            offered("rcr ecr create-repository --image-tag-mutability IMM").len(),
            2
        );
        assert_eq!(offered("rcr --cli-error-format e"), vec!["enhanced"]);
        assert_eq!(
            offered("rcr ecr-public describe-images --region us-"),
            vec!["us-east-1", "us-west-2"]
        );
        assert_eq!(
            offered("rcr image scan-gate r t --fail-on HI"),
            vec!["HIGH"]
        );
        assert_eq!(
            offered("rcr ecr batch-get-image --repository-name r --image-ids image"),
            vec!["imageDigest=", "imageTag="]
        );
        assert_eq!(
            offered("rcr ecr delete-repository --force --fo"),
            Vec::<String>::new()
        );
        assert_eq!(
            offered("rcr ecr delete-repository --force --no-f"),
            vec!["--no-force"]
        );
    }
}
