//! `get-login-password`: the password of a registry login, for a pipe into
//! `docker login --username AWS --password-stdin`.
//!
//! Calls the model's GetAuthorizationToken operation through the generated
//! bridge (so endpoints, credentials, retries and errors behave as for any
//! operation), decodes the base64 token `AWS:<password>` and prints the
//! password and a newline, nothing else, as aws v2 does.

use base64::Engine as _;
use serde_json::Value;

use crate::cli::Globals;
use crate::custom::help::{self, HelpTopic};
use crate::custom::{Customization, Scope};
use crate::error::Error;
use crate::model::Service;
use crate::session;
use crate::settings::Settings;

const OPERATION: &str = "GetAuthorizationToken";

/// The command's word after the service.
pub const NAME: &str = "get-login-password";

/// `get-login-password` in the table of customizations: every service has it.
pub static CUSTOMIZATION: Customization = Customization {
    name: NAME,
    scope: Scope::Service(|_| true),
    about: "Print a password for a container client's login.",
    command: |_| clap::Command::new(NAME),
    help: |service, _| Ok(help::page(&HelpTopic::LoginPassword(in_service(service)?))),
    pages: |service| {
        service
            .map(|s| help::page(&HelpTopic::LoginPassword(s)))
            .into_iter()
            .collect()
    },
    run: |service, args| {
        let service = in_service(service)?;
        let known = crate::cli::parse_known(args, &[service.cli_name], clap::Command::new(NAME))?;
        if !known.strays.is_empty() {
            // aws's commands of its own report leftover words without the
            // usage block, joined by bare commas.
            return Err(Error::Client {
                code: "ParamValidation",
                message: format!("Unknown options: {}", known.strays.join(",")),
                exit: 252,
            });
        }
        run(&known.globals, service, args)
    },
};

/// The service a service-level customization was given.
pub(crate) fn in_service(service: Option<&'static Service>) -> Result<&'static Service, Error> {
    service.ok_or_else(|| Error::internal("a service's command was run without its service"))
}

pub fn run(globals: &Globals, service: &'static Service, args: &[String]) -> Result<(), Error> {
    let operation = service
        .operations
        .iter()
        .find(|o| o.name == OPERATION)
        .ok_or_else(|| {
            Error::internal(format!("the {} model has no {OPERATION}", service.cli_name))
        })?;
    let settings = Settings::resolve(globals);
    settings.check_client()?;
    let response = session::with_client(&settings, service, args, async |client| {
        client
            .call(operation, &Value::Object(serde_json::Map::new()))
            .await
    })?;
    let password = password(&response)?;
    crate::output::print_bytes(format!("{password}\n").as_bytes())
}

/// The login inside a GetAuthorizationToken response: the one decoder of
/// the token, for `get-login-password` and the credential helper.
#[derive(Debug, Clone, PartialEq)]
pub struct Login {
    /// The user name before the token's `:` (always `AWS` today).
    pub username: String,
    pub password: String,
    /// `expiresAt` as epoch seconds, when the response had it as a number.
    pub expires_at: Option<f64>,
}

/// Decodes the base64 token `user:password` of a GetAuthorizationToken
/// response. ECR answers a list of authorization data (one per registry; the
/// first is the caller's), ECR Public a single structure.
///
/// A response without them (a captive portal's 200 page reads as a document
/// without members) fails in the words of the Python error aws meets:
/// `'authorizationData'`, `list index out of range`, `'authorizationToken'`.
pub fn decode(response: &Value) -> Result<Login, Error> {
    let missing = |key: &str| Error::Other(format!("'{key}'"));
    let data = match response.get("authorizationData") {
        None => return Err(missing("authorizationData")),
        Some(Value::Array(list)) => list
            .first()
            .ok_or_else(|| Error::Other("list index out of range".into()))?,
        Some(other) => other,
    };
    let token = data
        .get("authorizationToken")
        .ok_or_else(|| missing("authorizationToken"))?
        .as_str()
        .ok_or_else(|| {
            Error::Other(format!(
                "The {OPERATION} response has no authorization token"
            ))
        })?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| Error::Other("The authorization token is not valid base64".to_string()))?;
    let (username, password) = decoded.split_once(':').ok_or_else(|| {
        Error::Other("not enough values to unpack (expected 2, got 1)".to_string())
    })?;
    let expires_at = data
        .get("expiresAt")
        .and_then(Value::as_f64)
        .filter(|f| f.is_finite());
    Ok(Login {
        username: username.to_string(),
        password: password.to_string(),
        expires_at,
    })
}

/// The password inside the response's token.
pub fn password(response: &Value) -> Result<String, Error> {
    decode(response).map(|login| login.password)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ecr_token_list() {
        // From the recorded aws v2 run (login-password.json).
        let v =
            json!({"authorizationData": [{"authorizationToken": "QVdTOmV5SndZWGxzYjJGa0lqb2k="}]});
        assert_eq!(password(&v).unwrap(), "eyJwYXlsb2FkIjoi"); // a valid token
    }

    #[test]
    fn ecr_public_token_structure() {
        let v = json!({"authorizationData": {"authorizationToken": "QVdTOnNlY3JldDpwYXJ0"}});
        assert_eq!(password(&v).unwrap(), "secret:part"); // a valid token
    }

    #[test]
    fn bad_tokens_are_errors() {
        for v in [
            json!({}),
            json!({"authorizationData": []}),
            json!({"authorizationData": [{"authorizationToken": "!!"}]}),
            json!({"authorizationData": [{"authorizationToken": "bm9jb2xvbg=="}]}),
        ] {
            assert!(password(&v).is_err(), "{v}");
        }
        let message = |v: Value| password(&v).err().map(|e| e.to_string());
        let aws = |m: &str| Some(format!("rcr: [ERROR]: {m}"));
        assert_eq!(message(json!({})), aws("'authorizationData'"));
        assert_eq!(
            message(json!({"authorizationData": []})),
            aws("list index out of range")
        );
        assert_eq!(
            message(json!({"authorizationData": {}})),
            aws("'authorizationToken'")
        );
        assert_eq!(
            message(json!({"authorizationData": [{"authorizationToken": "bm9jb2xvbg=="}]})),
            aws("not enough values to unpack (expected 2, got 1)")
        );
    }
}
