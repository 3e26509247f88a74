//! Help pages in aws's layout, built from the model.
//!
//! A page is a list of [`Node`]s (headings, paragraphs, bullets, verbatim
//! text) built from the same tables the parser reads: operation and member
//! documentation, shapes (types, enum values, shorthand and JSON syntax),
//! waiters and the global options. `rcr ... help` renders a page as text with
//! [`render_text`]; `cargo xtask man` renders the same pages as roff, so the
//! terminal help and the man pages cannot drift apart. Nothing here does I/O.

use crate::cli::globals::GLOBAL_OPTIONS;
use crate::custom::html::{self, BlockKind};
use crate::custom::login::NAME as LOGIN;
use crate::error::Error;
use crate::model::{
    AcceptorState, Expected, Matcher, Member, Operation, Service, ShapeId, ShapeKind, Waiter,
};
use crate::sdk;

/// The width text help is laid out for, as aws renders its help.
pub const WIDTH: usize = 80;
/// Where a section's body starts, as in man pages.
const BASE: usize = 7;
/// Beyond this nesting, structures are named but not expanded.
const MAX_DEPTH: usize = 8;

/// One element of a page. `indent` counts columns from the section's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Heading(String),
    Para { indent: usize, text: String },
    Bullet { indent: usize, text: String },
    Verbatim { indent: usize, text: String },
}

/// A help page: `name` is the man page's name (`rcr-ecr-create-repository`).
#[derive(Debug, Clone)]
pub struct Page {
    pub name: String,
    /// One line for the man page's NAME section and listings.
    pub summary: String,
    pub nodes: Vec<Node>,
}

/// The pages this module builds. Customizations of their own (the
/// credential helper, `rcr image`) build theirs with [`Node`]s.
#[derive(Debug, Clone, Copy)]
pub enum HelpTopic {
    Root,
    Service(&'static Service),
    Operation(&'static Service, &'static Operation),
    LoginPassword(&'static Service),
    Wait(&'static Service),
    Waiter(&'static Service, &'static Waiter),
}

/// Every page: the root, each service, each operation and customization.
/// This is the set of man pages.
pub fn all_pages() -> Vec<Page> {
    let mut pages = vec![page(&HelpTopic::Root)];
    for service in sdk::SERVICES {
        pages.push(page(&HelpTopic::Service(service)));
        for op in service.operations {
            pages.push(page(&HelpTopic::Operation(service, op)));
        }
        for c in super::for_service(service) {
            pages.extend((c.pages)(Some(service)));
        }
    }
    for c in super::top_levels() {
        pages.extend((c.pages)(None));
    }
    pages
}

/// The page the words name (the positional words of a `help` request): the
/// root, a service, an operation, or a customization's page.
pub fn page_for(words: &[&str]) -> Result<Page, Error> {
    let Some(&first) = words.first() else {
        return Ok(page(&HelpTopic::Root));
    };
    if let Some(c) = super::top_level(first) {
        return (c.help)(None, &words[1..]);
    }
    let service = sdk::service(first).ok_or_else(|| crate::cli::invalid_command(first))?;
    let Some(&second) = words.get(1) else {
        return Ok(page(&HelpTopic::Service(service)));
    };
    if let Some(c) = super::of_service(service, second) {
        return (c.help)(Some(service), &words[2..]);
    }
    match service.operation(second) {
        Some(op) => Ok(page(&HelpTopic::Operation(service, op))),
        None => Err(crate::cli::invalid_operation(service, second)),
    }
}

/// The page of one help topic.
pub fn page(topic: &HelpTopic) -> Page {
    let mut b = PageBuilder::default();
    let (name, summary) = match topic {
        HelpTopic::Root => {
            root(&mut b);
            (
                "rcr".to_string(),
                "a fast drop-in replacement for aws ecr and aws ecr-public".to_string(),
            )
        }
        HelpTopic::Service(s) => {
            service_page(&mut b, s);
            (format!("rcr-{}", s.cli_name), html::summary(s.doc, 70))
        }
        HelpTopic::Operation(s, op) => {
            operation_page(&mut b, s, op);
            (
                format!("rcr-{}-{}", s.cli_name, op.cli_name),
                html::summary(op.doc, 70),
            )
        }
        HelpTopic::LoginPassword(s) => {
            login_page(&mut b, s);
            (
                format!("rcr-{}-{LOGIN}", s.cli_name),
                "print a password for a container client's login".to_string(),
            )
        }
        HelpTopic::Wait(s) => {
            wait_page(&mut b, s);
            (
                format!("rcr-{}-wait", s.cli_name),
                "wait until a condition is satisfied".to_string(),
            )
        }
        HelpTopic::Waiter(s, w) => {
            waiter_page(&mut b, s, w);
            (
                format!("rcr-{}-wait-{}", s.cli_name, w.cli_name),
                waiter_summary(s, w),
            )
        }
    };
    Page {
        name,
        summary,
        nodes: b.nodes,
    }
}

/// A page as text, `width` columns wide.
pub fn render_text(page: &Page, width: usize) -> String {
    let mut out = String::new();
    for node in &page.nodes {
        match node {
            Node::Heading(h) => {
                out.push_str(h);
                out.push('\n');
                continue;
            }
            Node::Para { indent, text } => {
                out.push_str(&html::wrap(text, BASE + indent, width, None))
            }
            Node::Bullet { indent, text } => {
                out.push_str(&html::wrap(text, BASE + indent + 2, width, Some("o ")))
            }
            Node::Verbatim { indent, text } => {
                for line in text.lines() {
                    if !line.is_empty() {
                        out.push_str(&" ".repeat(BASE + indent));
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Collects a page's nodes; the customizations' own pages (`rcr image`,
/// the credential helper) are built with it too.
#[derive(Default)]
pub struct PageBuilder {
    pub nodes: Vec<Node>,
}

impl PageBuilder {
    pub fn heading(&mut self, h: &str) {
        self.nodes.push(Node::Heading(h.to_string()));
    }
    pub fn para(&mut self, indent: usize, text: impl Into<String>) {
        self.nodes.push(Node::Para {
            indent,
            text: text.into(),
        });
    }
    pub fn bullet(&mut self, indent: usize, text: impl Into<String>) {
        self.nodes.push(Node::Bullet {
            indent,
            text: text.into(),
        });
    }
    pub fn verbatim(&mut self, indent: usize, text: impl Into<String>) {
        self.nodes.push(Node::Verbatim {
            indent,
            text: text.into(),
        });
    }

    /// Model documentation at `indent`.
    fn doc(&mut self, indent: usize, doc: &str) {
        for block in html::blocks(doc) {
            match block.kind {
                BlockKind::Para => self.para(indent + 2 * block.depth, block.text),
                BlockKind::Item => {
                    self.bullet(indent + 2 * block.depth.saturating_sub(1), block.text)
                }
                BlockKind::Code => self.verbatim(indent + 2 * block.depth + 2, block.text),
            }
        }
    }

    pub fn name(&mut self, name: &str) {
        self.heading("NAME");
        self.para(0, format!("{name} -"));
    }

    /// The SYNOPSIS section: the command's form, verbatim.
    pub fn synopsis(&mut self, form: impl Into<String>) {
        self.heading("SYNOPSIS");
        self.verbatim(2, form);
    }

    /// An option's entry: its name, then what it does, indented below.
    pub fn option(&mut self, name: impl Into<String>, text: impl Into<String>) {
        self.para(0, name);
        self.para(3, text);
    }

    pub fn global_options(&mut self) {
        self.heading("GLOBAL OPTIONS");
        for opt in GLOBAL_OPTIONS {
            self.option(
                format!("--{} ({})", opt.name, opt.value.unwrap_or("boolean")),
                opt.help,
            );
        }
    }

    fn commands(&mut self, heading: &str, mut names: Vec<&str>) {
        self.heading(heading);
        names.sort_unstable();
        for n in names {
            self.bullet(0, n);
        }
    }
}

fn root(b: &mut PageBuilder) {
    b.name("rcr");
    b.heading("DESCRIPTION");
    b.para(
        0,
        "rcr is a fast drop-in replacement for the AWS Command Line Interface's ecr and ecr-public commands: the same options, output and exit codes.",
    );
    b.synopsis("rcr [options] <command> <subcommand> [parameters]");
    b.para(
        0,
        "Use rcr command help for information on a specific command. Use rcr help topics to view a list of available help topics. The synopsis for each command shows its parameters and their usage. Optional parameters are shown in square brackets.",
    );
    b.global_options();
    let mut names: Vec<&str> = sdk::SERVICES.iter().map(|s| s.cli_name).collect();
    names.push("help");
    names.extend(super::top_levels().map(|c| c.name));
    b.commands("AVAILABLE SERVICES", names);
}

fn service_page(b: &mut PageBuilder, s: &Service) {
    b.name(s.cli_name);
    b.heading("DESCRIPTION");
    b.doc(0, s.doc);
    b.synopsis(format!("rcr {} <subcommand> [parameters]", s.cli_name));
    let mut names: Vec<&str> = s.operations.iter().map(|o| o.cli_name).collect();
    names.extend(super::for_service(s).map(|c| c.name));
    names.push("help");
    b.commands("AVAILABLE COMMANDS", names);
}

fn operation_page(b: &mut PageBuilder, s: &Service, op: &Operation) {
    b.name(op.cli_name);
    b.heading("DESCRIPTION");
    if op.deprecated {
        b.para(0, "This operation is deprecated.");
    }
    b.doc(0, op.doc);
    b.para(
        0,
        format!(
            "See also: AWS API Documentation for {} {}",
            s.service_id, op.name
        ),
    );
    synopsis_and_options(b, s, op, op.cli_name);
    b.global_options();
    b.heading("OUTPUT");
    let members = s.shape(op.output).kind.members();
    if members.is_empty() {
        b.para(0, "None");
    }
    for m in members {
        member_tree(b, s, m.name, m.shape, m.doc, 0, 0);
    }
}

fn login_page(b: &mut PageBuilder, s: &Service) {
    b.name(LOGIN);
    b.heading("DESCRIPTION");
    let registry = if s.cli_name == "ecr-public" {
        "public.ecr.aws"
    } else {
        "aws_account_id.dkr.ecr.region.amazonaws.com"
    };
    b.para(
        0,
        format!(
            "Gets an authorization token with the {} GetAuthorizationToken operation and prints only its password, followed by a newline, for a container client's login (the user name is AWS). The password is valid for 12 hours. Errors are reported as for any operation.",
            s.service_id
        ),
    );
    b.synopsis(LOGIN);
    b.heading("OPTIONS");
    b.para(0, "None");
    b.global_options();
    b.heading("EXAMPLES");
    b.para(
        0,
        "To log in to a registry with the docker or podman client:",
    );
    b.verbatim(
        2,
        format!(
            "rcr {} {LOGIN} --region us-east-1 | docker login --username AWS --password-stdin {registry}",
            s.cli_name
        ),
    );
    b.heading("OUTPUT");
    b.para(0, "The password, as plain text.");
}

fn wait_page(b: &mut PageBuilder, s: &Service) {
    b.name("wait");
    b.heading("DESCRIPTION");
    b.para(
        0,
        "Wait until a particular condition is satisfied. Each subcommand polls an API until the listed requirement is met.",
    );
    b.synopsis("wait <waiter> [parameters]");
    b.commands(
        "AVAILABLE COMMANDS",
        s.waiters.iter().map(|w| w.cli_name).collect(),
    );
}

fn waiter_page(b: &mut PageBuilder, s: &Service, w: &Waiter) {
    b.name(w.cli_name);
    b.heading("DESCRIPTION");
    b.para(0, waiter_description(s, w));
    match s.operations.iter().find(|o| o.name == w.operation) {
        Some(op) => synopsis_and_options(b, s, op, w.cli_name),
        None => {
            b.heading("OPTIONS");
            b.para(0, "None");
        }
    }
    b.global_options();
    b.heading("OUTPUT");
    b.para(0, "None");
}

/// aws's generated waiter description.
pub fn waiter_description(s: &Service, w: &Waiter) -> String {
    let polled = s
        .operations
        .iter()
        .find(|o| o.name == w.operation)
        .map_or(w.operation, |o| o.cli_name);
    let success = w
        .acceptors
        .iter()
        .find(|a| a.state == AcceptorState::Success);
    let condition = match success {
        Some(a) => {
            let expected = expected_text(a.expected);
            let arg = a.argument.unwrap_or("");
            match a.matcher {
                Matcher::Path => format!("JMESPath query {arg} returns {expected}"),
                Matcher::PathAll => {
                    format!("all elements of JMESPath query {arg} return {expected}")
                }
                Matcher::PathAny => {
                    format!("any element of JMESPath query {arg} returns {expected}")
                }
                Matcher::Status => format!("HTTP status code {expected} is returned"),
                Matcher::Error => format!("{expected} is thrown"),
            }
        }
        None => "a successful state is reached".to_string(),
    };
    format!(
        "Wait until {condition} when polling with {polled}. It will poll every {} seconds until a successful state has been reached. This will exit with a return code of 255 after {} failed checks.",
        w.delay, w.max_attempts
    )
}

fn waiter_summary(s: &Service, w: &Waiter) -> String {
    let d = waiter_description(s, w);
    match d.find(". ") {
        Some(i) => d[..i].to_string(),
        None => d,
    }
}

fn expected_text(e: Expected) -> String {
    match e {
        Expected::Str(s) => s.to_string(),
        Expected::Bool(b) => b.to_string(),
        Expected::Int(i) => i.to_string(),
    }
}

/// The input members help documents: as in aws, a paginated operation's
/// token and page-size members are accepted but left out of its help, since
/// `--starting-token`, `--page-size` and `--max-items` stand for them.
pub fn documented_members(s: &Service, op: &Operation) -> impl Iterator<Item = &'static Member> {
    let hidden: Vec<&str> = op
        .paginator
        .as_ref()
        .map(|p| p.input_token.iter().copied().chain(p.limit_key).collect())
        .unwrap_or_default();
    s.shape(op.input)
        .kind
        .members()
        .iter()
        .filter(move |m| !hidden.contains(&m.name))
}

/// SYNOPSIS and OPTIONS of an operation (or of a waiter polling it).
fn synopsis_and_options(b: &mut PageBuilder, s: &Service, op: &Operation, command: &str) {
    let members: Vec<&Member> = documented_members(s, op).collect();
    let mut lines = vec![format!("  {command}")];
    for m in &members {
        let kind = &s.shape(m.shape).kind;
        let flag = if matches!(kind, ShapeKind::Boolean) {
            format!("--{0} | --no-{0}", m.cli_name)
        } else {
            format!("--{} <value>", m.cli_name)
        };
        lines.push(if m.required {
            flag
        } else {
            format!("[{flag}]")
        });
    }
    lines.push("[--cli-input-json | --cli-input-yaml]".to_string());
    if op.paginator.is_some() {
        for f in ["starting-token", "page-size", "max-items"] {
            lines.push(format!("[--{f} <value>]"));
        }
    }
    lines.push("[--generate-cli-skeleton <value>]".to_string());
    for g in GLOBAL_OPTIONS {
        lines.push(match g.value {
            Some(_) => format!("[--{} <value>]", g.name),
            None => format!("[--{}]", g.name),
        });
    }
    b.synopsis(lines.join("\n"));

    b.heading("OPTIONS");
    for m in members {
        let kind = &s.shape(m.shape).kind;
        let required = if m.required { " [required]" } else { "" };
        if matches!(kind, ShapeKind::Boolean) {
            b.para(
                0,
                format!("--{0} | --no-{0} (boolean){required}", m.cli_name),
            );
        } else {
            b.para(
                0,
                format!("--{} ({}){required}", m.cli_name, kind.type_name()),
            );
        }
        b.doc(3, m.doc);
        if m.deprecated {
            b.para(3, "This parameter is deprecated.");
        }
        shape_details(b, s, m.shape, 3, 0);
        if !kind.is_scalar() {
            let short = shorthand(s, m.shape);
            if let Some(short) = short {
                b.para(0, "Shorthand Syntax:");
                b.verbatim(3, short);
            }
            b.para(0, "JSON Syntax:");
            b.verbatim(3, json_syntax(s, m.shape, 0, 0));
        }
    }
    b.option(
        "--cli-input-json | --cli-input-yaml (string)",
        "Reads arguments from the JSON string provided (or YAML with --cli-input-yaml). The JSON string follows the format provided by --generate-cli-skeleton. If other arguments are provided on the command line, those values will override the JSON-provided values. The value may be file://path to read it from a file.",
    );
    if op.paginator.is_some() {
        b.option(
            "--starting-token (string)",
            "A token to specify where to start paginating. This is the NextToken from a previously truncated response.",
        );
        b.option(
            "--page-size (integer)",
            "The size of each page to get in the AWS service call. This does not affect the number of items returned in the command's output.",
        );
        b.option(
            "--max-items (integer)",
            "The total number of items to return in the command's output. If more are available, a NextToken is printed; pass it to --starting-token in a later command to resume.",
        );
    }
    b.option(
        "--generate-cli-skeleton (string)",
        "Prints a JSON skeleton to standard output without sending an API request. Without a value or with input, prints a sample input JSON that can be used as an argument for --cli-input-json; yaml-input prints a sample input YAML for --cli-input-yaml; output prints a sample output JSON for the command.",
    );
}

/// Enum values and nested members of a shape, below its documentation.
fn shape_details(b: &mut PageBuilder, s: &Service, id: ShapeId, indent: usize, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &s.shape(id).kind {
        ShapeKind::String { enum_values, .. } if !enum_values.is_empty() => {
            b.para(indent, "Possible values:");
            for v in *enum_values {
                b.bullet(indent, *v);
            }
        }
        ShapeKind::Structure { members, .. } => {
            for m in *members {
                member_tree(b, s, m.name, m.shape, m.doc, indent, depth + 1);
            }
        }
        ShapeKind::List { member, .. } => {
            let elem = s.shape(*member);
            b.para(indent, format!("({})", elem.kind.type_name()));
            b.doc(indent + 3, elem.doc);
            shape_details(b, s, *member, indent + 3, depth + 1);
        }
        ShapeKind::Map { key, value, .. } => {
            member_tree(b, s, "key", *key, "", indent, depth + 1);
            member_tree(b, s, "value", *value, "", indent, depth + 1);
        }
        _ => {}
    }
}

/// `name -> (type)`, its documentation and its own members.
fn member_tree(
    b: &mut PageBuilder,
    s: &Service,
    name: &str,
    id: ShapeId,
    doc: &str,
    indent: usize,
    depth: usize,
) {
    b.para(
        indent,
        format!("{name} -> ({})", s.shape(id).kind.type_name()),
    );
    b.doc(indent + 3, doc);
    shape_details(b, s, id, indent + 3, depth);
}

/// aws's shorthand syntax line for a non-scalar option, when it has one.
fn shorthand(s: &Service, id: ShapeId) -> Option<String> {
    match &s.shape(id).kind {
        ShapeKind::List { member, .. } => {
            let elem = &s.shape(*member).kind;
            if elem.is_scalar() {
                Some(format!("{0} {0} ...", elem.type_name()))
            } else if let ShapeKind::Structure { members, .. } = elem {
                Some(format!("{} ...", shorthand_members(s, members, 0)?))
            } else {
                None
            }
        }
        ShapeKind::Structure { members, .. } => shorthand_members(s, members, 0),
        ShapeKind::Map { key, value, .. } => {
            let (k, v) = (&s.shape(*key).kind, &s.shape(*value).kind);
            (k.is_scalar() && v.is_scalar())
                .then(|| format!("KeyName1={0},KeyName2={0}", v.type_name()))
        }
        _ => None,
    }
}

fn shorthand_members(
    s: &Service,
    members: &[crate::model::Member],
    depth: usize,
) -> Option<String> {
    if depth > 2 {
        return None;
    }
    let mut parts = Vec::new();
    for m in members {
        let value = match &s.shape(m.shape).kind {
            k if k.is_scalar() => k.type_name().to_string(),
            ShapeKind::List { member, .. } => {
                let elem = &s.shape(*member).kind;
                match elem {
                    ShapeKind::Structure { members, .. } => {
                        let inner = shorthand_members(s, members, depth + 1)?;
                        format!("[{{{inner}}},{{{inner}}}]")
                    }
                    e if e.is_scalar() => format!("{0},{0}", e.type_name()),
                    _ => return None,
                }
            }
            ShapeKind::Structure { members, .. } => {
                format!("{{{}}}", shorthand_members(s, members, depth + 1)?)
            }
            ShapeKind::Map { value, .. } => {
                format!(
                    "{{KeyName1={0},KeyName2={0}}}",
                    s.shape(*value).kind.type_name()
                )
            }
            _ => return None,
        };
        parts.push(format!("{}={value}", m.name));
    }
    Some(parts.join(","))
}

/// aws's JSON syntax block for a non-scalar option.
fn json_syntax(s: &Service, id: ShapeId, indent: usize, depth: usize) -> String {
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + 2);
    match &s.shape(id).kind {
        ShapeKind::String { enum_values, .. } if !enum_values.is_empty() => enum_values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join("|"),
        ShapeKind::String { .. } => "\"string\"".to_string(),
        ShapeKind::Boolean => "true|false".to_string(),
        ShapeKind::Blob { .. } => "blob".to_string(),
        ShapeKind::Timestamp => "timestamp".to_string(),
        ShapeKind::Integer { .. } => "integer".to_string(),
        ShapeKind::Long { .. } => "long".to_string(),
        ShapeKind::Float { .. } => "float".to_string(),
        ShapeKind::Double { .. } => "double".to_string(),
        _ if depth > MAX_DEPTH => "{...}".to_string(),
        ShapeKind::Structure { members, .. } => {
            let body: Vec<String> = members
                .iter()
                .map(|m| {
                    format!(
                        "{inner}\"{}\": {}",
                        m.name,
                        json_syntax(s, m.shape, indent + 2, depth + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{pad}}}", body.join(",\n"))
        }
        ShapeKind::List { member, .. } => format!(
            "[\n{inner}{}\n{inner}...\n{pad}]",
            json_syntax(s, *member, indent + 2, depth + 1)
        ),
        ShapeKind::Map { key, value, .. } => format!(
            "{{\n{inner}{}: {}\n{inner}...\n{pad}}}",
            json_syntax(s, *key, indent + 2, depth + 1),
            json_syntax(s, *value, indent + 2, depth + 1)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of both models has a page naming each of its options.
    #[test]
    fn every_operation_page_names_every_option() {
        for service in sdk::SERVICES {
            for op in service.operations {
                let text = render_text(&page(&HelpTopic::Operation(service, op)), WIDTH);
                assert!(text.starts_with("NAME\n"), "{}", op.cli_name);
                for m in documented_members(service, op) {
                    assert!(
                        text.contains(&format!("\n       --{} (", m.cli_name))
                            || text.contains(&format!("\n       --{0} | --no-{0} (", m.cli_name)),
                        "{} {}",
                        op.cli_name,
                        m.cli_name
                    );
                }
                for h in [
                    "DESCRIPTION",
                    "SYNOPSIS",
                    "OPTIONS",
                    "GLOBAL OPTIONS",
                    "OUTPUT",
                ] {
                    assert!(text.contains(&format!("\n{h}\n")), "{} {h}", op.cli_name);
                }
            }
        }
    }

    #[test]
    fn json_and_shorthand_syntax_of_create_repository() {
        let ecr = sdk::service("ecr").unwrap(); // the ecr model is compiled in
        let op = ecr.operation("create-repository").unwrap(); // in the ecr model
        let text = render_text(&page(&HelpTopic::Operation(ecr, op)), WIDTH);
        assert!(text.contains("Key=string,Value=string ..."), "{text}");
        assert!(
            text.contains("\"encryptionType\": \"AES256\"|\"KMS\"|\"KMS_DSSE\""),
            "{text}"
        );
        assert!(text.contains("--image-tag-mutability (string)"));
        assert!(text.contains("o IMMUTABLE"));
    }

    #[test]
    fn waiter_description_from_the_model() {
        let ecr = sdk::service("ecr").unwrap(); // the ecr model is compiled in
        let w = ecr.waiter("image-scan-complete").unwrap(); // a waiter of the ecr model
        assert_eq!(
            waiter_description(ecr, w),
            "Wait until JMESPath query imageScanStatus.status returns COMPLETE when polling with describe-image-scan-findings. It will poll every 5 seconds until a successful state has been reached. This will exit with a return code of 255 after 60 failed checks."
        );
    }

    #[test]
    fn paragraphs_fit_the_width() {
        // Verbatim syntax may overflow, as in aws; wrapped text must not,
        // except for a single word longer than the line (a URL).
        for p in all_pages() {
            for node in &p.nodes {
                let text = match node {
                    Node::Para { indent, text } => html::wrap(text, BASE + indent, WIDTH, None),
                    Node::Bullet { indent, text } => {
                        html::wrap(text, BASE + indent + 2, WIDTH, Some("o "))
                    }
                    _ => continue,
                };
                for line in text.lines() {
                    let words = line.trim().trim_start_matches("o ").split(' ').count();
                    assert!(
                        line.chars().count() <= WIDTH || words == 1,
                        "{}: {line}",
                        p.name
                    );
                }
            }
        }
    }
}
