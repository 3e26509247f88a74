//! The one error type of rcr, with aws CLI v2's wording and exit codes.
//!
//! Every failure, from a bad flag to a service error, ends as an [`Error`];
//! `main` prints it (in the `--cli-error-format` the user chose, see
//! `error_format`) and exits with [`Error::exit_code`] (252 usage and
//! validation, 253 configuration, 254 service, 255 anything else, 130
//! interrupted), as aws v2 does. [`Error::report`] is the default
//! (`enhanced`) text; [`Error::structured`] is what the structured formats
//! are made of.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The usage block aws prints after a command-line error, with our name.
pub const USAGE: &str = "usage: rcr [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  rcr help\n  rcr <command> help\n  rcr <command> <subcommand> help\n";

#[derive(Debug)]
pub enum Error {
    /// The command line could not be parsed (argparse's errors in aws).
    Usage(String),
    /// Words on the command line that no option takes (`--force yes`):
    /// aws prints the usage block first and never formats it as a document.
    UnknownOptions(String),
    /// Client-side validation of the input document failed (botocore's
    /// `Parameter validation failed:` report); one entry per problem.
    Validation(Vec<String>),
    /// A client-side error with a code in parentheses and no usage block
    /// (`NoRegion`, `NoCredentials`, a bad `--query`, a bad param file).
    Client {
        code: &'static str,
        message: String,
        exit: i32,
    },
    /// The service answered with an error.
    Service {
        code: String,
        operation: String,
        message: String,
        /// Set when retries ran out: the number of retries made.
        max_retries: Option<u32>,
        /// The error shape's members the body had (model order), as botocore
        /// parses a modeled exception: `kmsError`, `uploadId`, ... and
        /// `message` itself; empty for an unmodeled error. Boxed: an
        /// ordered map is large and errors travel in every `Result`.
        members: Box<Map<String, Value>>,
        /// botocore's generic error (a 5xx with an empty body or an HTML
        /// page: the status and its phrase), whose document lists `Code`
        /// before `Message`.
        generic: bool,
    },
    /// `--profile` names a profile that no file defines.
    ProfileNotFound(String),
    /// The endpoint could not be reached.
    Connect { url: String },
    /// The connection closed (or was reset) before a whole response arrived.
    ConnectionClosed { url: String },
    /// The endpoint did not answer in time.
    ReadTimeout { url: String },
    /// The connection was not made in time.
    ConnectTimeout { url: String },
    /// The server's certificate was refused.
    Ssl { url: String, detail: String },
    /// Interrupted by SIGINT.
    Interrupted,
    /// Anything else, printed as is after `rcr: [ERROR]: `.
    Other(String),
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::Other(message.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::UnknownOptions(_) | Error::Validation(_) => 252,
            Error::Client { exit, .. } => *exit,
            Error::Service { .. } => 254,
            Error::Interrupted => 130,
            Error::ProfileNotFound(_)
            | Error::Connect { .. }
            | Error::ConnectionClosed { .. }
            | Error::ReadTimeout { .. }
            | Error::ConnectTimeout { .. }
            | Error::Ssl { .. }
            | Error::Other(_) => 255,
        }
    }

    /// What the structured error formats show: the error as a document
    /// (`Code` and `Message` for client-side errors; `Message`, `Code` and
    /// the modeled members for a service error), the line `enhanced` prints
    /// and the text `legacy` prints. `None` for errors aws never structures
    /// (connection failures, unknown options, anything without a code).
    pub fn structured(&self) -> Option<Structured> {
        let client = |code: &str, message: String| Structured {
            line: format!("An error occurred ({code}): {message}"),
            legacy: message.clone(),
            document: document(&[("Code", code), ("Message", &message)]),
        };
        match self {
            // argparse's message, a blank line, then the usage block.
            Error::Usage(message) => {
                Some(client("ParamValidation", format!("{message}\n\n{USAGE}")))
            }
            Error::Validation(problems) => Some(client(
                "ParamValidation",
                format!("Parameter validation failed:\n{}", problems.join("\n")),
            )),
            Error::Client { code, message, .. } => Some(client(code, message.clone())),
            Error::Service {
                code,
                message,
                members,
                generic,
                ..
            } => {
                let line = self.service_line();
                let mut document = if *generic {
                    document(&[("Code", code), ("Message", message)])
                } else {
                    document(&[("Message", message), ("Code", code)])
                };
                for (k, v) in members.iter() {
                    if !document.contains_key(k) {
                        document.insert(k.clone(), v.clone());
                    }
                }
                Some(Structured {
                    legacy: line.clone(),
                    line,
                    document,
                })
            }
            _ => None,
        }
    }

    fn service_line(&self) -> String {
        match self {
            Error::Service {
                code,
                operation,
                message,
                max_retries,
                ..
            } => {
                let retries = match max_retries {
                    Some(n) => format!(" (reached max retries: {n})"),
                    None => String::new(),
                };
                format!(
                    "An error occurred ({code}) when calling the {operation} operation{retries}: {message}"
                )
            }
            _ => String::new(),
        }
    }

    /// The text aws v2 writes to stderr for this error (the `enhanced`
    /// format without the details block).
    pub fn report(&self) -> String {
        let mut s = String::from("\n");
        match self {
            Error::UnknownOptions(words) => {
                // aws's UnknownArgumentErrorHandler: usage first.
                return format!("\n{USAGE}\n\nrcr: [ERROR]: Unknown options: {words}\n");
            }
            Error::Usage(message) => {
                // argparse's message, a blank line, then the usage block.
                let _ = write!(
                    s,
                    "rcr: [ERROR]: An error occurred (ParamValidation): {message}\n\n{USAGE}"
                );
            }
            Error::Validation(problems) => {
                let _ = writeln!(
                    s,
                    "rcr: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\n{}",
                    problems.join("\n")
                );
            }
            Error::Client { code, message, .. } => {
                let _ = writeln!(s, "rcr: [ERROR]: An error occurred ({code}): {message}");
            }
            Error::Service { .. } => {
                let _ = writeln!(s, "rcr: [ERROR]: {}", self.service_line());
            }
            Error::ProfileNotFound(name) => {
                let _ = writeln!(
                    s,
                    "rcr: [ERROR]: The config profile ({name}) could not be found"
                );
            }
            Error::Connect { url } => {
                let _ = writeln!(
                    s,
                    "rcr: [ERROR]: Could not connect to the endpoint URL: \"{url}\""
                );
            }
            Error::ConnectionClosed { url } => {
                // botocore's ConnectionClosedError, full stop included.
                let _ = writeln!(
                    s,
                    "rcr: [ERROR]: Connection was closed before we received a valid response from endpoint URL: \"{url}\"."
                );
            }
            Error::ReadTimeout { url } => {
                let _ = writeln!(s, "rcr: [ERROR]: Read timeout on endpoint URL: \"{url}\"");
            }
            Error::ConnectTimeout { url } => {
                let _ = writeln!(
                    s,
                    "rcr: [ERROR]: Connect timeout on endpoint URL: \"{url}\""
                );
            }
            Error::Ssl { url, detail } => {
                let _ = writeln!(s, "rcr: [ERROR]: SSL validation failed for {url} {detail}");
            }
            Error::Interrupted => return String::from("\n"),
            // aws strips the message (a process's stderr ends in a newline;
            // an empty one leaves the bare prefix).
            Error::Other(message) => match message.trim() {
                "" => s.push_str("rcr: [ERROR]:\n"),
                message => {
                    let _ = writeln!(s, "rcr: [ERROR]: {message}");
                }
            },
        }
        s
    }
}

/// An error as the structured formats see it ([`Error::structured`]).
#[derive(Debug)]
pub struct Structured {
    /// `{"Code": ..., "Message": ...}` or a service error's document.
    pub document: Map<String, Value>,
    /// The line after `rcr: [ERROR]: ` in the enhanced format.
    pub line: String,
    /// The text after `rcr: [ERROR]: ` in the legacy format: the message
    /// alone for client-side errors, the whole line for service errors.
    pub legacy: String,
}

fn document(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.report().trim())
    }
}

impl std::error::Error for Error {}

/// The `Display` texts of an error and its sources, joined by `: `, without
/// repeating a text a wrapper already included
/// (how an SDK failure and a credential provider's failure are told).
pub fn cause_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_error_wording() {
        let e = Error::Service {
            code: "RepositoryNotFoundException".into(),
            operation: "DescribeImages".into(),
            message: "gone".into(),
            max_retries: None,
            members: Box::default(),
            generic: false,
        };
        assert_eq!(
            e.report(),
            "\nrcr: [ERROR]: An error occurred (RepositoryNotFoundException) when calling the DescribeImages operation: gone\n"
        );
        assert_eq!(e.exit_code(), 254);
    }

    #[test]
    fn usage_error_has_usage_block() {
        let e = Error::usage("the following arguments are required: --image-tag-mutability");
        assert!(e.report().starts_with(
            "\nrcr: [ERROR]: An error occurred (ParamValidation): the following arguments are required: --image-tag-mutability\n\nusage: rcr"
        ));
        assert_eq!(e.exit_code(), 252);
    }
}
