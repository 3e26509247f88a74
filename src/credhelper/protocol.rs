//! The Docker credential helper protocol's wire format, as
//! docker/docker-credential-helpers defines it (credentials/credentials.go,
//! credentials/error.go) and its client package reads it (client/client.go),
//! which Docker, containers/image (podman, skopeo, buildah) and others use:
//!
//! - one argument, the verb: `get`, `store`, `erase`, `list`, `version`;
//!   anything else is ``Unknown credential action `VERB` ``, and a wrong
//!   argument count is `Usage: NAME <store|get|erase|list|version>`;
//! - `get` reads the server URL on stdin (trimmed) and writes
//!   `{"ServerURL":..,"Username":..,"Secret":..}` and a newline;
//!   `store` reads that object; `erase` reads a server URL; `list` writes
//!   a JSON object from server URL to user name; `version` a line;
//! - an error is its message on **stdout** (the client reads
//!   `cmd.Output()`, not stderr) and exit status 1. The client recognises
//!   three messages exactly: `credentials not found in native keychain`
//!   (`IsErrCredentialsNotFoundMessage`, which Docker treats as "no
//!   credentials, go anonymous"), `no credentials server URL` and
//!   `no credentials username`.

use serde_json::{Map, Value, json};

/// The one message clients treat as "this helper has nothing for that
/// registry" (compared for equality after trimming).
pub const NOT_FOUND: &str = "credentials not found in native keychain";
pub const MISSING_SERVER_URL: &str = "no credentials server URL";
pub const MISSING_USERNAME: &str = "no credentials username";

/// The helper's program name: `docker-credential-` plus the name users put
/// in `credHelpers` / `credsStore`.
pub const PROGRAM: &str = "docker-credential-rcr";

/// The verbs of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Store,
    Erase,
    List,
    Version,
}

impl Verb {
    /// The verb named by the helper's arguments (without the program name).
    pub fn parse(args: &[String]) -> Result<Verb, String> {
        let [verb] = args else {
            return Err(format!("Usage: {PROGRAM} <store|get|erase|list|version>"));
        };
        match verb.as_str() {
            "get" => Ok(Verb::Get),
            "store" => Ok(Verb::Store),
            "erase" => Ok(Verb::Erase),
            "list" => Ok(Verb::List),
            "version" => Ok(Verb::Version),
            other => Err(format!("Unknown credential action `{other}`")),
        }
    }

    /// Whether the verb reads stdin (`list` and `version` must not block on
    /// a terminal).
    pub fn reads_input(self) -> bool {
        matches!(self, Verb::Get | Verb::Store | Verb::Erase)
    }
}

/// The server URL of a `get` or `erase` input: the trimmed text, which must
/// not be empty.
pub fn server_url(input: &str) -> Result<&str, String> {
    let url = input.trim();
    if url.is_empty() {
        return Err(MISSING_SERVER_URL.to_string());
    }
    Ok(url)
}

/// `get`'s answer line.
pub fn credentials(server_url: &str, username: &str, secret: &str) -> String {
    let mut s = json!({
        "ServerURL": server_url,
        "Username": username,
        "Secret": secret,
    })
    .to_string();
    s.push('\n');
    s
}

/// Checks a `store` input the way the reference implementation does
/// before it would store: a JSON object with a server URL and a user name.
/// rcr stores nothing (its tokens come from AWS), but accepting valid input
/// keeps `docker login` working with `credsStore: rcr`.
pub fn check_store(input: &str) -> Result<(), String> {
    if input.trim().is_empty() {
        // What Go's json.Decoder says about an empty stream.
        return Err("EOF".to_string());
    }
    let v: Value = serde_json::from_str(input.trim()).map_err(|e| e.to_string())?;
    let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
    if !v.is_object() {
        return Err("json: cannot unmarshal into Go value of type credentials.Credentials".into());
    }
    if field("ServerURL").is_empty() {
        return Err(MISSING_SERVER_URL.to_string());
    }
    if field("Username").is_empty() {
        return Err(MISSING_USERNAME.to_string());
    }
    Ok(())
}

/// `list`'s answer line: server URL to user name, sorted.
pub fn list(entries: &std::collections::BTreeMap<String, String>) -> String {
    let map: Map<String, Value> = entries
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let mut s = Value::Object(map).to_string();
    s.push('\n');
    s
}

/// `version`'s answer, in the reference's `NAME (PACKAGE) VERSION` shape.
pub fn version() -> String {
    format!("{PROGRAM} (rcr) {}\n", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::owned_words;

    #[test]
    fn parses_verbs() {
        assert_eq!(Verb::parse(&owned_words(&["get"])), Ok(Verb::Get));
        assert_eq!(Verb::parse(&owned_words(&["version"])), Ok(Verb::Version));
        assert_eq!(
            Verb::parse(&owned_words(&["fetch"])),
            Err("Unknown credential action `fetch`".to_string())
        );
        assert!(Verb::parse(&owned_words(&[])).is_err_and(|e| e.starts_with("Usage: ")));
        assert!(Verb::parse(&owned_words(&["get", "x"])).is_err_and(|e| e.starts_with("Usage: ")));
        assert!(!Verb::List.reads_input());
        assert!(Verb::Erase.reads_input());
    }

    #[test]
    fn formats_credentials_like_go() {
        assert_eq!(
            credentials("h", "AWS", "p\"w"),
            "{\"ServerURL\":\"h\",\"Username\":\"AWS\",\"Secret\":\"p\\\"w\"}\n"
        );
    }

    #[test]
    fn checks_store_input() {
        assert_eq!(
            check_store(r#"{"ServerURL":"h","Username":"AWS","Secret":"x"}"#),
            Ok(())
        );
        assert_eq!(check_store(""), Err("EOF".to_string()));
        assert_eq!(
            check_store(r#"{"Username":"AWS"}"#),
            Err(MISSING_SERVER_URL.to_string())
        );
        assert_eq!(
            check_store(r#"{"ServerURL":"h"}"#),
            Err(MISSING_USERNAME.to_string())
        );
        assert!(check_store("garbage").is_err());
        assert!(check_store("[1]").is_err());
    }
}
