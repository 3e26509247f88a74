//! aws v2.34's structured errors: how an [`Error`] is written to stderr.
//!
//! `--cli-error-format`, else `AWS_CLI_ERROR_FORMAT`, else the profile's
//! `cli_error_format`, else `enhanced`, as aws's `errorhandler` resolves it
//! (the rule is `crate::settings::error_format`, fed from the command line
//! here: a failed command may have no settings yet):
//! - `enhanced`: the usual `rcr: [ERROR]: ...` line, then for a service
//!   error's modeled members (other than the message) an `Additional error
//!   details:` block;
//! - `legacy`: the line alone (for client-side errors, the message alone);
//! - `json`, `yaml`, `text`, `table`: the error as a document, written by the
//!   output formatters (table title `error`, `--query` applied as aws
//!   applies its global options), exit code unchanged.
//!
//! Errors aws never structures (connection failures, unknown options, a
//! profile that does not exist, ...) keep their plain text in every format.
//! This runs only when a command fails, so it may read the config file.

use serde_json::Value;

use crate::config::profiles::{ProfileFiles, Selection};
use crate::error::{Error, Structured};
use crate::output;

/// The option's name on the command line.
const FLAG: &str = "--cli-error-format";

/// More items than this make a list or map a "complex value" in the
/// enhanced block (aws's `MAX_INLINE_ITEMS`).
const MAX_INLINE_ITEMS: usize = 5;

/// The text to write to stderr for `error`, given the command line it
/// came from.
pub fn report(error: &Error, args: &[String]) -> String {
    let Some(structured) = error.structured() else {
        return error.report();
    };
    let (format, mut warning) = resolve(args);
    let text = match format.as_str() {
        "legacy" => write_error(&structured.legacy),
        "json" | "yaml" | "text" | "table" => match document(&structured, &format, args) {
            Some(doc) => doc,
            None => write_error(&structured.legacy),
        },
        _ => enhanced(&structured),
    };
    warning.push_str(&text);
    warning
}

/// The format to use and any warning to print first (see
/// [`crate::settings::error_format`]): the flag when the global options
/// parsed, else the environment, else the selected profile (from the files
/// the run's settings read, or read now when the run failed before them).
fn resolve(args: &[String]) -> (String, String) {
    crate::settings::error_format(command_line_value(args, FLAG), || {
        let profile = Selection::choose(flag_value(args, "--profile").as_deref());
        ProfileFiles::of_this_run().setting(profile.name(), "cli_error_format")
    })
}

/// A global option's value when the global options parsed (an error in
/// them, like `--output csv`, leaves aws without them: the environment and
/// the profile decide).
fn command_line_value(args: &[String], name: &str) -> Option<String> {
    if crate::cli::globals::parsed() {
        flag_value(args, name)
    } else {
        None
    }
}

/// The value of a global option as the parser would take it: the last
/// `--name value` or `--name=value` on the line.
fn flag_value(args: &[String], name: &str) -> Option<String> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == name {
            found = args.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if let Some(v) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            found = Some(v.to_string());
        }
        i += 1;
    }
    found
}

/// aws's `write_error`: a blank line, the prefix, the message stripped.
fn write_error(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() {
        "\nrcr: [ERROR]:\n".into()
    } else {
        format!("\nrcr: [ERROR]: {message}\n")
    }
}

/// The line, then the modeled members other than the message.
fn enhanced(structured: &Structured) -> String {
    let mut out = write_error(&structured.line);
    let details: Vec<(&String, &Value)> = structured
        .document
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "Code" | "Message" | "message"))
        .collect();
    if details.is_empty() {
        return out;
    }
    out.push_str("\nAdditional error details:\n");
    for (key, value) in details {
        let shown = if is_simple(value) {
            crate::python::str(value)
        } else if is_small_collection(value) {
            inline(value)
        } else {
            "<complex value> (Use --cli-error-format with json or yaml to see full details)".into()
        };
        out.push_str(&format!("{key}: {shown}\n"));
    }
    out
}

fn is_simple(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn is_small_collection(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.len() < MAX_INLINE_ITEMS && a.iter().all(is_simple),
        Value::Object(m) => m.len() < MAX_INLINE_ITEMS && m.values().all(is_simple),
        _ => false,
    }
}

/// `[a, b]` / `{k: v}` with each item as Python's `str()`.
fn inline(v: &Value) -> String {
    match v {
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(crate::python::str).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", crate::python::str(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        other => crate::python::str(other),
    }
}

/// The error document through the output formatter `format`, with the
/// command's `--query` applied when it compiles.
fn document(structured: &Structured, format: &str, args: &[String]) -> Option<String> {
    // A `--query` that does not compile never became an option: aws writes
    // the document without it.
    let query = command_line_value(args, "--query").and_then(|q| output::Query::compile(&q).ok());
    let format = output::Format::parse(format).ok()?;
    let mut out = output::Output::new(Vec::new(), format, query, "error");
    out.response(&Value::Object(structured.document.clone()))
        .ok()?;
    String::from_utf8(out.into_inner()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(members: Value) -> Error {
        Error::Service {
            code: "KmsException".into(),
            operation: "CreateRepository".into(),
            message: "key disabled".into(),
            max_retries: None,
            members: Box::new(members.as_object().cloned().unwrap_or_default()),
        }
    }

    /// A command line whose global options parsed.
    fn args(v: &[&str]) -> Vec<String> {
        crate::cli::globals::mark_parsed();
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn enhanced_adds_the_modeled_members_but_the_message() {
        let e = service(
            serde_json::json!({"message": "key disabled", "kmsError": "DisabledException"}),
        );
        assert_eq!(
            report(&e, &args(&["--cli-error-format", "enhanced"])),
            "\nrcr: [ERROR]: An error occurred (KmsException) when calling the CreateRepository operation: key disabled\n\nAdditional error details:\nkmsError: DisabledException\n"
        );
        assert_eq!(
            report(&e, &args(&["--cli-error-format=legacy"])),
            "\nrcr: [ERROR]: An error occurred (KmsException) when calling the CreateRepository operation: key disabled\n"
        );
        assert_eq!(
            report(&e, &args(&["--cli-error-format", "json"])),
            "{\n    \"Message\": \"key disabled\",\n    \"Code\": \"KmsException\",\n    \"message\": \"key disabled\",\n    \"kmsError\": \"DisabledException\"\n}\n"
        );
    }

    #[test]
    fn legacy_client_errors_are_the_message_alone() {
        let e = Error::usage("the following arguments are required: --x");
        let legacy = report(&e, &args(&["--cli-error-format", "legacy"]));
        assert!(
            legacy.starts_with(
                "\nrcr: [ERROR]: the following arguments are required: --x\n\nusage: rcr"
            ),
            "{legacy}"
        );
        assert_eq!(
            report(&e, &args(&["--cli-error-format", "enhanced"])),
            e.report()
        );
    }

    #[test]
    fn collections_inline_or_complex() {
        let e = service(
            serde_json::json!({"a": [1, "x"], "b": {"k": true}, "c": [[1]], "d": [1, 2, 3, 4, 5]}),
        );
        let text = report(&e, &args(&["--cli-error-format", "enhanced"]));
        assert!(text.ends_with("Additional error details:\na: [1, x]\nb: {k: True}\nc: <complex value> (Use --cli-error-format with json or yaml to see full details)\nd: <complex value> (Use --cli-error-format with json or yaml to see full details)\n"), "{text}");
    }
}
