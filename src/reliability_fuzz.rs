//! Property tests (test builds only) for the inputs that `params::fuzz` does
//! not cover: whole command lines through `cli::parse` and the input
//! builder, `--query` expressions (compiled and evaluated), `--starting-token`
//! values through the paginator, profile and credentials file text, and the
//! credential helper's stdin.
//!
//! Every property is "never panics" (a panic fails the case; proptest then
//! shrinks it to a minimal input). 2,000 cases each by default, for CI;
//! `PROPTEST_CASES=100000 cargo test --release --bin rcr reliability_fuzz`
//! is the documented long run (see SECURITY.md).

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::config::profiles;
use crate::output::query::Query;
use crate::paginate::{PageOptions, Pages, decode_token};
use crate::sdk;

/// The case count: 2,000 for CI, `PROPTEST_CASES` for a long run (also
/// `params::fuzz`'s).
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text from `alphabet` plus any char now and then, up to `max` chars.
fn text_of(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = alphabet.chars().collect();
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(chars),
            1 => any::<char>(),
        ],
        0..max,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// JMESPath's punctuation, keywords' letters and the document's names.
fn query_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => text_of("[]{}().,:*@&|!<>=`'\"\\-0123456789 ?abz_", 6),
            2 => prop::sample::select(vec![
                "imageIds".to_string(), "imageTag".into(), "length(".into(), "sort_by(".into(),
                "max_by(".into(), "to_number(".into(), "join(".into(), "contains(".into(),
                "[?".into(), "&imageTag".into(), "`1`".into(), "`\"x\"`".into(), "||".into(),
                "&&".into(), "[-1]".into(), "[::-1]".into(), "[0:2:0]".into(), "[*]".into(),
                "| [0]".into(), "{a: b}".into(), "not_null(".into(), "merge(".into(),
                "reverse(".into(), "starts_with(".into(), "abs(".into(), "map(&".into(),
                "avg(".into(), "min(".into(), "keys(@)".into(), "values(@)".into(),
                "type(@)".into(), "to_string(".into(), "to_array(".into(), "floor(".into(),
                "`[1, 2.5, null, {\"a\": []}]`".into(), "`1e400`".into(), "[9223372036854775807]".into(),
                "[-9223372036854775808:]".into(),
            ]),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text_of("abc:/ ", 6).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec!["imageIds", "imageTag", "a", "b", "nextToken", "x"]),
                    inner
                ),
                0..5
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

/// INI-like text: headers, keys, values, comments, continuation lines.
fn ini_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "[default]".to_string(),
                "[profile x]".into(),
                "[x]".into(),
                "[profile]".into(),
                "[ profile  x ]".into(),
                "[sso-session s]".into(),
                "[services s]".into(),
                "[".into(),
                "]".into(),
                "[]".into(),
                "region = us-east-1".into(),
                "region=".into(),
                "aws_access_key_id = AKID".into(),
                "aws_secret_access_key = s".into(),
                "credential_process = /bin/false".into(),
                "source_profile = x".into(),
                "role_arn = arn:aws:iam::1:role/r".into(),
                "ecr =".into(),
                "  endpoint_url = x".into(),
                "\tx = y".into(),
                "# c".into(),
                "; c".into(),
                "= v".into(),
                "k = v = w".into(),
                "max_attempts = 99999999999999999999".into(),
                "retry_mode = sideways".into(),
                "cli_pager =".into(),
                "output = table".into(),
                "\u{feff}[default]".into(),
            ]),
            text_of("[]=#; \t\r\\\"'abkprofile_-.x\u{0}é", 20),
        ],
        0..12,
    )
    .prop_map(|lines| lines.join("\n"))
}

/// A command line: real commands, real and made-up flags, values that look
/// like shorthand, JSON, files and flags.
fn args() -> impl Strategy<Value = Vec<String>> {
    let word = prop_oneof![
        3 => prop::sample::select(vec![
            "ecr".to_string(), "ecr-public".into(), "describe-images".into(), "list-images".into(),
            "put-lifecycle-policy".into(), "create-repository".into(), "get-login-password".into(),
            "wait".into(), "image-scan-complete".into(), "help".into(), "--version".into(),
            "--repository-name".into(), "--image-ids".into(), "--tags".into(), "--filter".into(),
            "--max-items".into(), "--page-size".into(), "--starting-token".into(), "--query".into(),
            "--output".into(), "--region".into(), "--profile".into(), "--endpoint-url".into(),
            "--cli-input-json".into(), "--cli-input-yaml".into(), "--generate-cli-skeleton".into(),
            "--cli-binary-format".into(), "--no-paginate".into(), "--debug".into(), "--color".into(),
            "--cli-read-timeout".into(), "--no-verify-ssl".into(), "--ca-bundle".into(), "-".into(),
            "--".into(), "--image-tag-mutability".into(), "--encryption-configuration".into(),
            "imageTag=v1".into(), "Key=k,Value=v".into(), "{\"a\":1}".into(), "[1,2]".into(),
            "file:///nonexistent".into(), "fileb:///dev/null".into(), "input".into(), "output".into(),
            "yaml-input".into(), "repo".into(), "text".into(), "table".into(), "0".into(), "-1".into(),
            "99999999999999999999".into(), "\u{0}".into(), "".into(),
        ]),
        1 => text_of("-=,[]{}\"'ab:./ ", 12),
    ];
    prop::collection::vec(word, 0..10)
}

/// The operation call a command line names, as the entry would parse it
/// (`None` for anything else or a refusal).
fn operation_call(args: &[String]) -> Option<crate::cli::OperationCall> {
    let words = crate::cli::globals::positionals(args);
    let service = crate::sdk::service(words.first()?)?;
    let operation = service.operation(words.get(1)?)?;
    crate::cli::parse_operation(args, service, operation).ok()
}

proptest! {
    #![proptest_config(config())]

    /// Any command line is parsed or refused; a parsed operation call builds
    /// its input document or is refused. (No network: nothing is sent.)
    #[test]
    fn command_lines_never_panic(args in args()) {
        let words = crate::cli::globals::positionals(&args);
        let _ = crate::custom::help::page_for(&words);
        if let Some(call) = operation_call(&args) {
            let _ = crate::params::build_and_validate(&call, crate::params::BinaryFormat::Base64);
        }
    }

    /// Any `--query` compiles or is refused, and a compiled one evaluates
    /// (to a value or an error) on any document.
    #[test]
    fn queries_never_panic(expr in query_text(), doc in json_value()) {
        if let Ok(q) = Query::compile(&expr) {
            let _ = q.search(&doc);
            let _ = q.search(&json!({"imageIds": [{"imageTag": "a", "imageDigest": "d"}, {"imageTag": null}], "nextToken": "t"}));
        }
    }

    /// Any `--starting-token` (raw text, base64 of any JSON, the old
    /// `a___1` form) through decoding and a paginator with pages of any
    /// shape.
    #[test]
    fn starting_tokens_never_panic(
        raw in text_of("abcAZ09+/=_-{}\":,", 40),
        doc in json_value(),
        pages in prop::collection::vec(json_value(), 0..4),
        max_items in prop::option::of(-3i64..5),
        page_size in prop::option::of(-3i64..5),
        which in 0usize..3,
    ) {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(doc.to_string());
        let with_amount = {
            let mut d = doc.clone();
            if let Value::Object(m) = &mut d {
                m.insert("boto_truncate_amount".into(), json!(max_items));
            }
            base64::engine::general_purpose::STANDARD.encode(d.to_string())
        };
        let tokens = [raw.clone(), encoded, with_amount, format!("{raw}___1"), format!("a___b___{raw}")];
        let (service, op) = [("ecr", "list-images"), ("ecr", "describe-image-scan-findings"), ("ecr-public", "describe-images")][which];
        let operation = sdk::service(service).and_then(|s| s.operation(op));
        for token in tokens {
            let _ = decode_token(&token, &["nextToken"]);
            let _ = decode_token(&token, &["a", "b"]);
            let _ = decode_token(&token, &[]);
            let Some(paginator) = operation.and_then(|o| o.paginator.as_ref()) else { continue };
            let options = PageOptions { starting_token: Some(token), page_size, max_items };
            if let Ok(mut p) = Pages::new(paginator, json!({"repositoryName": "r"}), &options) {
                for page in &pages {
                    let _ = p.request();
                    if p.accept(page.clone()).is_err() {
                        break;
                    }
                }
                let _ = p.resume_token();
                let _ = p.non_aggregate();
            }
        }
    }

    /// Any profile or credentials file text, read either way.
    #[test]
    fn profile_files_never_panic(text in ini_text(), name in prop::sample::select(vec!["default", "x", "", "profile x"])) {
        for config_style in [true, false] {
            let _ = profiles::section_names(&text, config_style);
            let _ = profiles::settings(&text, config_style, name);
        }
    }

    /// The docker credential helper's stdin (a server URL) and arguments.
    #[test]
    fn credential_helper_input_never_panics(input in text_of("htps:/.dkrecramazonws-0123456789{}\"", 60), verb in text_of("getsorelisvn-", 8)) {
        let _ = crate::credhelper::protocol::server_url(&input);
        let _ = crate::credhelper::protocol::check_store(&input);
        let _ = crate::credhelper::registry::authority(&input);
        let _ = crate::credhelper::protocol::Verb::parse(&[verb]);
    }
}
