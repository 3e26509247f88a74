//! `wait <waiter>`: poll an operation until one of the waiter's acceptors
//! decides, as botocore's waiters do.
//!
//! Each attempt calls the polled operation through the generated bridge and
//! tries the acceptors in model order: `path`, `pathAll` and `pathAny` search
//! the JSON output with JMESPath, `error` compares the service error code,
//! `status` the HTTP status (200 for any successful answer; an error's status
//! is not kept by the bridge, so it never matches one). The first matching
//! acceptor's state wins; a service error that no acceptor matches ends the
//! wait. Between attempts it sleeps the model's delay; after the model's
//! maximum attempts it gives up. Failures read as in aws v2
//! (`Waiter X failed: ...`, exit 255). SIGINT ends the wait at once (130).
//!
//! `RCR_WAITER_DELAY_OVERRIDE` (seconds, may be fractional) replaces the
//! model's delay; it exists for the tests and is not documented to users.

use std::time::Duration;

use serde_json::Value;

use clap::Command;

use crate::cli::OperationCall;
use crate::custom::help::{self, HelpTopic};
use crate::custom::login::in_service;
use crate::custom::{Customization, Scope};
use crate::error::Error;
use crate::model::{Acceptor, AcceptorState, Expected, Matcher, Operation, Service, Waiter};
use crate::sdk::ServiceClient;
use crate::settings::Settings;
use crate::{cli, params, session};

/// The command's word after the service.
pub const NAME: &str = "wait";

/// `wait` in the table of customizations: the services with waiters have it.
pub static CUSTOMIZATION: Customization = Customization {
    name: NAME,
    scope: Scope::Service(|s| !s.waiters.is_empty()),
    about: "Wait until a particular condition is satisfied.",
    command: |service| {
        let mut wait = Command::new(NAME)
            .disable_help_subcommand(true)
            .subcommand(Command::new("help").about("Show help for this command."));
        let service = service
            .into_iter()
            .flat_map(|s| s.waiters.iter().map(move |w| (s, w)));
        for (s, w) in service {
            if let Ok(op) = polled(s, w) {
                wait = wait.subcommand(
                    cli::tree_operation(s, op)
                        .name(w.cli_name)
                        .about(format!("Wait until {} polling {}.", w.name, op.cli_name)),
                );
            }
        }
        wait
    },
    help: |service, words| {
        let service = in_service(service)?;
        Ok(help::page(&match words.first() {
            None => HelpTopic::Wait(service),
            Some(name) => HelpTopic::Waiter(service, find_waiter(service, name)?.0),
        }))
    },
    pages: |service| {
        let Some(s) = service else { return Vec::new() };
        std::iter::once(HelpTopic::Wait(s))
            .chain(s.waiters.iter().map(|w| HelpTopic::Waiter(s, w)))
            .map(|t| help::page(&t))
            .collect()
    },
    run: |service, args| {
        let service = in_service(service)?;
        let spelled_out = cli::argparse::expand_globals(args)?;
        let words = cli::globals::command_words(&spelled_out);
        let Some(&name) = words.get(2) else {
            // aws's waiter parser, before its own usage line.
            return Err(Error::Client {
                code: "ParamValidation",
                message: format!(
                    "usage: rcr [options] {} {NAME} <subcommand> [parameters]\nrcr: [ERROR]: too few arguments",
                    service.cli_name
                ),
                exit: 252,
            });
        };
        let (waiter, operation) = find_waiter(service, name)?;
        let known = cli::parse_known(
            args,
            &[service.cli_name, NAME],
            cli::operation_command(service, operation).name(waiter.cli_name),
        )?;
        let call = cli::operation_call(known.globals.clone(), service, operation, &known.matches);
        cli::check_required(&call)?;
        known.no_strays()?;
        run(&call, waiter, args)
    },
};

/// A waiter by command name, with the operation it polls.
fn find_waiter(
    service: &'static Service,
    name: &str,
) -> Result<(&'static Waiter, &'static Operation), Error> {
    let invalid = || {
        let names: Vec<&str> = service.waiters.iter().map(|w| w.cli_name).collect();
        cli::argparse::invalid_choice("subcommand", name, &names)
    };
    let waiter = service.waiter(name).ok_or_else(invalid)?;
    Ok((waiter, polled(service, waiter).map_err(|_| invalid())?))
}

/// The operation a waiter polls.
fn polled(service: &'static Service, waiter: &Waiter) -> Result<&'static Operation, Error> {
    service
        .operations
        .iter()
        .find(|o| o.name == waiter.operation)
        .ok_or_else(|| Error::internal(format!("waiter {} polls no operation", waiter.name)))
}

/// The hidden test knob for the delay between attempts.
pub const DELAY_OVERRIDE_ENV: &str = "RCR_WAITER_DELAY_OVERRIDE";

pub fn run(call: &OperationCall, waiter: &'static Waiter, args: &[String]) -> Result<(), Error> {
    let settings = Settings::resolve(&call.globals);
    settings.check_client()?;
    let binary = settings.binary_format()?;
    let input = params::build_and_validate(call, binary)?;
    let delay = std::env::var(DELAY_OVERRIDE_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|d| d.is_finite() && *d >= 0.0)
        .map_or(
            Duration::from_secs(u64::from(waiter.delay)),
            Duration::from_secs_f64,
        );
    session::with_client(&settings, call.service, args, async |client| {
        poll(client, call, waiter, &input, delay).await
    })
}

async fn poll(
    client: &ServiceClient,
    call: &OperationCall,
    waiter: &'static Waiter,
    input: &Value,
    delay: Duration,
) -> Result<(), Error> {
    let mut last_matched: Option<&Acceptor> = None;
    let mut attempts = 0;
    loop {
        let result = client.call(call.operation, input).await;
        attempts += 1;
        match waiter.acceptors.iter().find(|a| matches(a, &result)) {
            Some(acceptor) => {
                last_matched = Some(acceptor);
                match acceptor.state {
                    AcceptorState::Success => return Ok(()),
                    AcceptorState::Failure => {
                        return Err(failed(
                            waiter,
                            &format!(
                                "Waiter encountered a terminal failure state: {}",
                                explanation(acceptor)
                            ),
                        ));
                    }
                    AcceptorState::Retry => {}
                }
            }
            None => match result {
                Err(Error::Service { code, message, .. }) => {
                    return Err(failed(
                        waiter,
                        &format!("An error occurred ({code}): {message}"),
                    ));
                }
                // Connection failures and the like end the wait as themselves.
                Err(other) => return Err(other),
                Ok(_) => {}
            },
        }
        if attempts >= waiter.max_attempts {
            let reason = match last_matched {
                None => "Max attempts exceeded".to_string(),
                Some(a) => format!(
                    "Max attempts exceeded. Previously accepted state: {}",
                    explanation(a)
                ),
            };
            return Err(failed(waiter, &reason));
        }
        tokio::time::sleep(delay).await;
    }
}

fn failed(waiter: &Waiter, reason: &str) -> Error {
    Error::Other(format!("Waiter {} failed: {reason}", waiter.name))
}

/// Whether one acceptor matches one attempt's result.
fn matches(acceptor: &Acceptor, result: &Result<Value, Error>) -> bool {
    match (acceptor.matcher, result) {
        (Matcher::Error, Err(Error::Service { code, .. })) => match acceptor.expected {
            Expected::Str(s) => code == s,
            Expected::Bool(b) => b,
            Expected::Int(_) => false,
        },
        // `"expected": false` matches an answer without an error.
        (Matcher::Error, Ok(_)) => acceptor.expected == Expected::Bool(false),
        (Matcher::Status, Ok(_)) => acceptor.expected == Expected::Int(200),
        (Matcher::Path, Ok(v)) => {
            search(acceptor.argument, v).is_some_and(|r| equals(&r, acceptor.expected))
        }
        (Matcher::PathAll, Ok(v)) => match search(acceptor.argument, v) {
            Some(Value::Array(items)) if !items.is_empty() => {
                items.iter().all(|i| equals(i, acceptor.expected))
            }
            _ => false,
        },
        (Matcher::PathAny, Ok(v)) => match search(acceptor.argument, v) {
            Some(Value::Array(items)) => items.iter().any(|i| equals(i, acceptor.expected)),
            _ => false,
        },
        _ => false,
    }
}

/// A JMESPath search of the output with the `--query` engine (Python
/// jmespath's rules, as botocore's waiters use); `None` when the
/// expression is invalid or its search raises.
fn search(expression: Option<&str>, value: &Value) -> Option<Value> {
    crate::output::query::Query::compile(expression?)
        .ok()?
        .search(value)
        .ok()
}

/// Python's `==` between a JSON result and the acceptor's expected value.
fn equals(v: &Value, expected: Expected) -> bool {
    match expected {
        Expected::Str(s) => v.as_str() == Some(s),
        Expected::Bool(b) => v.as_bool() == Some(b),
        // Integer comparison by value, as 1 == 1.0 in Python.
        #[allow(clippy::cast_precision_loss)]
        Expected::Int(i) => v.as_f64() == Some(i as f64),
    }
}

/// botocore's `explanation` of an acceptor, in the failure messages.
fn explanation(a: &Acceptor) -> String {
    let expected = match a.expected {
        Expected::Str(s) => s.to_string(),
        Expected::Bool(b) => crate::python::str(&Value::Bool(b)),
        Expected::Int(i) => i.to_string(),
    };
    let arg = a.argument.unwrap_or("");
    match a.matcher {
        Matcher::Path => {
            format!("For expression \"{arg}\" we matched expected path: \"{expected}\"")
        }
        Matcher::PathAll => {
            format!("For expression \"{arg}\" all members matched expected path: \"{expected}\"")
        }
        Matcher::PathAny => format!(
            "For expression \"{arg}\" we matched expected path: \"{expected}\" at least once"
        ),
        Matcher::Status => format!("Matched expected HTTP status code: {expected}"),
        Matcher::Error => format!("Matched expected service error code: {expected}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn acceptor(matcher: Matcher, argument: &'static str, expected: Expected) -> Acceptor {
        Acceptor {
            state: AcceptorState::Success,
            matcher,
            argument: Some(argument),
            expected,
        }
    }

    #[test]
    fn path_matchers() {
        let v = Ok(
            json!({"imageScanStatus": {"status": "COMPLETE"}, "items": [{"s": "A"}, {"s": "A"}], "n": 3}),
        );
        assert!(matches(
            &acceptor(
                Matcher::Path,
                "imageScanStatus.status",
                Expected::Str("COMPLETE")
            ),
            &v
        ));
        assert!(!matches(
            &acceptor(
                Matcher::Path,
                "imageScanStatus.status",
                Expected::Str("FAILED")
            ),
            &v
        ));
        assert!(matches(
            &acceptor(Matcher::PathAll, "items[].s", Expected::Str("A")),
            &v
        ));
        assert!(matches(
            &acceptor(Matcher::PathAny, "items[].s", Expected::Str("A")),
            &v
        ));
        assert!(!matches(
            &acceptor(Matcher::PathAll, "missing[]", Expected::Str("A")),
            &v
        ));
        assert!(matches(
            &acceptor(Matcher::Path, "length(items) == `2`", Expected::Bool(true)),
            &v
        ));
        assert!(matches(&acceptor(Matcher::Path, "n", Expected::Int(3)), &v));
        assert!(matches(
            &acceptor(Matcher::Status, "", Expected::Int(200)),
            &v
        ));
    }

    #[test]
    fn error_matchers() {
        let e: Result<Value, Error> = Err(Error::Service {
            code: "ScanNotFoundException".into(),
            operation: "DescribeImageScanFindings".into(),
            message: "m".into(),
            max_retries: None,
            members: Box::default(),
            generic: false,
        });
        let a = Acceptor {
            state: AcceptorState::Retry,
            matcher: Matcher::Error,
            argument: None,
            expected: Expected::Str("ScanNotFoundException"),
        };
        assert!(matches(&a, &e));
        assert!(!matches(&a, &Ok(json!({}))));
        assert!(!matches(
            &acceptor(Matcher::Path, "x", Expected::Str("y")),
            &e
        ));
    }

    #[test]
    fn explanations_as_botocore() {
        let a = Acceptor {
            state: AcceptorState::Failure,
            matcher: Matcher::Path,
            argument: Some("status"),
            expected: Expected::Str("FAILED"),
        };
        assert_eq!(
            explanation(&a),
            "For expression \"status\" we matched expected path: \"FAILED\""
        );
    }
}
