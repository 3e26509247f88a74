//! Values that only the service knows: repository names, registry ids,
//! ARNs, prefixes (the model's resource completions), tags and digests.
//!
//! A call goes through rcr's own configuration (`config::load` with a
//! [`ClientSettings`] built from the profile, region, endpoint and TLS
//! options given on the line, over the profile files read once; then
//! credentials, `AWS_ENDPOINT_URL*`) and `ServiceClient::call`, like any
//! command, but bounded: one
//! attempt, one second to connect and one to read, and a deadline over the
//! whole of it (credentials included). Whatever goes wrong yields no values:
//! a completer has nowhere to report an error. Answers are cached (see
//! [`super::cache`]).

use std::time::Duration;

use aws_smithy_types::retry::RetryConfig;
use serde_json::Value;

use crate::config::http::Tls;
use crate::config::profiles::ProfileFiles;
use crate::config::{self, ClientSettings};
use crate::model::{Operation, Service};
use crate::output::Query;
use crate::sdk::{ClientOptions, ServiceClient};
use crate::timestamp::TimestampFormat;

use super::cache;
use super::line::Parsed;

/// The longest a completion may wait for a service, all calls included.
const DEADLINE: Duration = Duration::from_millis(1500);
/// Pages read at most (a registry with thousands of repositories still
/// answers within the deadline).
const MAX_PAGES: usize = 10;

/// One listing call: an operation of a service, its input, and the
/// expression that picks the values from each page.
pub struct Listing {
    pub service: &'static Service,
    pub operation: &'static Operation,
    pub input: Value,
    pub expression: String,
}

/// The settings of the line that decide where a call goes.
pub struct Target {
    client: ClientSettings,
}

impl Target {
    /// The client settings of the global options given on the line that
    /// matter to a call (the profile files are read here, once).
    pub fn from_line(parsed: &Parsed) -> Target {
        let s = |name: &str| parsed.global(name).map(str::to_string);
        let flag = |name: &str| parsed.globals.contains_key(name);
        let files = ProfileFiles::of_this_run();
        let limit = Some(Duration::from_secs(1));
        Target {
            client: ClientSettings {
                region: s("region"),
                endpoint_url: s("endpoint-url"),
                no_sign_request: flag("no-sign-request"),
                tls: Tls {
                    no_verify_ssl: flag("no-verify-ssl"),
                    ca_bundle: s("ca-bundle"),
                },
                connect_timeout: limit,
                read_timeout: limit,
                ..ClientSettings::new(files, s("profile").as_deref())
            },
        }
    }

    /// Who and where, for the cache key: the profile, region and endpoint
    /// the call would use and the access key id from the environment, read
    /// without loading the SDK's configuration (the cached path must stay
    /// cheap). Never a secret.
    fn identity(&self, service: &Service) -> String {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let profile = self.client.profile.name();
        let settings = self.client.files.profile(profile);
        let region = self
            .client
            .region
            .clone()
            .or_else(|| var("AWS_REGION"))
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .or_else(|| settings.get("region").cloned())
            .unwrap_or_default();
        let service_env = format!(
            "AWS_ENDPOINT_URL_{}",
            service.service_id.to_uppercase().replace([' ', '-'], "_")
        );
        let endpoint = self
            .client
            .endpoint_url
            .clone()
            .or_else(|| var(&service_env))
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .or_else(|| settings.get("endpoint_url").cloned())
            .unwrap_or_default();
        format!(
            "profile={profile}\nregion={region}\nendpoint={endpoint}\nservices={}\nkey={}\nconfig={:?}\nunsigned={}",
            settings.get("services").cloned().unwrap_or_default(),
            var("AWS_ACCESS_KEY_ID").unwrap_or_default(),
            self.client.files.config_path,
            self.client.no_sign_request,
        )
    }
}

/// The values of a listing: from the cache while fresh, else from the
/// service (and then cached); empty on any failure.
pub fn values(target: &Target, listing: &Listing) -> Vec<String> {
    let key = format!(
        "{}\n{}\n{}\n{}\n{}",
        listing.service.cli_name,
        listing.operation.name,
        listing.input,
        listing.expression,
        target.identity(listing.service)
    );
    if let Some(values) = cache::read(&key) {
        return values;
    }
    match fetch(target, listing) {
        Some(values) => {
            cache::write(&key, &values);
            values
        }
        None => Vec::new(),
    }
}

fn fetch(target: &Target, listing: &Listing) -> Option<Vec<String>> {
    let query = Query::compile(&listing.expression).ok()?;
    detach_from_terminal();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let result = runtime.block_on(async {
        tokio::time::timeout(DEADLINE, pages(target, listing, &query))
            .await
            .ok()
            .flatten()
    });
    // A name lookup or a credential process still running must not hold the
    // completer up: leave them behind.
    runtime.shutdown_background();
    result
}

async fn pages(target: &Target, listing: &Listing, query: &Query) -> Option<Vec<String>> {
    let resolved = config::load(&target.client, listing.service).await.ok()?;
    let options = ClientOptions::of(&resolved, TimestampFormat::Iso8601);
    let sdk_config = resolved
        .sdk_config
        .into_builder()
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    let client = ServiceClient::new(listing.service, &sdk_config, options);
    let mut input = listing.input.clone();
    let mut out: Vec<String> = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = client.call(listing.operation, &input).await.ok()?;
        collect(&query.search(&page).ok()?, &mut out);
        let next = listing.operation.paginator.as_ref().and_then(|p| {
            let token = page.get(*p.output_token.first()?)?.as_str()?;
            Some((*p.input_token.first()?, token.to_string()))
        });
        match (next, input.as_object_mut()) {
            (Some((member, token)), Some(fields)) if !token.is_empty() => {
                fields.insert(member.to_string(), Value::String(token));
            }
            _ => break,
        }
    }
    Some(out)
}

/// Nothing started for a call (a `credential_process`, an SSO or MFA
/// helper) may prompt while the user waits on a TAB: stdin becomes
/// `/dev/null` and the process leaves the terminal's session, so that no
/// child can open `/dev/tty` either. Only the completer's own process is
/// affected, and it exits right after.
fn detach_from_terminal() {
    // SAFETY: plain system calls on this process's own descriptors and
    // session; a failure leaves things as they were, which is harmless.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY);
        if null >= 0 {
            libc::dup2(null, 0);
            if null != 0 {
                libc::close(null);
            }
        }
        libc::setsid();
    }
}

/// The strings of a search result (a list, possibly nested), each once.
fn collect(found: &Value, out: &mut Vec<String>) {
    match found {
        Value::String(s) if !out.contains(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}
