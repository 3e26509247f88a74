//! The shared output layer: every command prints through here. It knows
//! JSON values and its options (`--output`, `--query`), nothing of models
//! or pages.
//!
//! A document (already JSON in the model's member order, timestamps
//! formatted) goes through `--query` and then to the formatter the user
//! chose, through one buffered writer on stdout. For a paginated command
//! [`Output::paging`] says how the format wants the pages: text and
//! yaml-stream print each page as it comes ([`Output::stream`], the query
//! applied per page, as aws does); json, table and yaml print the merged
//! result once ([`Output::response`]), as aws's fully buffered formatters
//! do. `crate::paginate` shapes the pages accordingly. A closed pipe ends
//! the output quietly.

pub mod json;
pub mod number;
pub mod query;
mod query_functions;
mod query_lexer;
mod query_parser;
pub mod table;
pub mod text;
pub mod yaml;

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::error::Error;
pub use query::Query;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Table,
    Yaml,
    YamlStream,
    /// `off` (aws v2.34): the command runs, nothing goes to stdout.
    Off,
    /// A name from `AWS_DEFAULT_OUTPUT` or the profile that no formatter
    /// has: aws fails only when it is about to print (`Unknown output
    /// type: csv`, 255), after the call.
    Unknown(&'static str),
}

impl Format {
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            "table" => Ok(Format::Table),
            "yaml" => Ok(Format::Yaml),
            "yaml-stream" => Ok(Format::YamlStream),
            "off" => Ok(Format::Off),
            other => Err(Error::usage(format!(
                "argument --output: Found invalid choice '{other}'\n"
            ))),
        }
    }

    /// `--output`, else the configured value (`AWS_DEFAULT_OUTPUT`, else
    /// the profile's `output`, as `crate::settings` picks it), else json.
    /// Only the flag's value is checked here (argparse's choices, 252); a
    /// bad configured value is [`Format::Unknown`].
    pub fn resolve(flag: Option<&str>, configured: Option<&str>) -> Result<Self, Error> {
        if let Some(flag) = flag {
            return Format::parse(flag);
        }
        match configured {
            Some(s) => Ok(Format::parse(s).unwrap_or_else(|_| {
                // One name per run, alive until exit anyway.
                Format::Unknown(Box::leak(s.to_string().into_boxed_str()))
            })),
            None => Ok(Format::Json),
        }
    }

    /// aws's `get_formatter`: fails for a configured name it does not know.
    pub fn check(self) -> Result<Self, Error> {
        match self {
            Format::Unknown(name) => Err(Error::Other(format!("Unknown output type: {name}"))),
            other => Ok(other),
        }
    }
}

/// How a format wants a paginated command's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// All pages merged under the result keys, printed once at the end.
    Merged,
    /// aws's text formatter: each page with its result keys (the first with
    /// the non-aggregate keys too), then a `NextToken` row.
    TextPages,
    /// Each page as the service sent it (yaml-stream).
    RawPages,
}

/// The printer of one command's output.
pub struct Output<W: Write> {
    format: Format,
    query: Option<Query>,
    title: String,
    out: W,
}

/// The process's stdout, buffered once for the whole run.
pub type Stdout = io::BufWriter<io::StdoutLock<'static>>;

impl Output<Stdout> {
    pub fn stdout(format: Format, query: Option<Query>, title: &str) -> Self {
        let out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
        Output::new(out, format, query, title)
    }
}

impl<W: Write> Output<W> {
    pub fn new(out: W, format: Format, query: Option<Query>, title: &str) -> Self {
        Output {
            format,
            query,
            title: title.to_string(),
            out,
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn apply_query(&self, value: &Value) -> Result<Option<Value>, Error> {
        match &self.query {
            Some(q) => q.search(value).map(Some),
            None => Ok(None),
        }
    }

    /// Prints one complete response (or the merged result of all pages).
    pub fn response(&mut self, value: &Value) -> Result<(), Error> {
        if self.format.check()? == Format::Off {
            return Ok(());
        }
        let queried = self.apply_query(value)?;
        let value = queried.as_ref().unwrap_or(value);
        // aws prints nothing for an empty object, queried or not.
        if value.as_object().is_some_and(Map::is_empty) {
            return Ok(());
        }
        let result = match self.format {
            Format::Json => json::write_json(&mut self.out, value),
            Format::Text => text::write_text(&mut self.out, value),
            Format::Table => table::write_table(&mut self.out, &self.title, value),
            // A bare scalar (a query's result) comes out as JSON, as in v2.
            Format::Yaml => yaml::write_yaml(&mut self.out, value),
            Format::YamlStream => yaml::write_yaml_stream_item(&mut self.out, value),
            Format::Off | Format::Unknown(_) => Ok(()),
        };
        written(result)
    }

    /// How this output prints a paginated command: pages as they come
    /// (text, yaml-stream, as aws does) or merged (json, table, yaml, which
    /// aws buffers). `crate::paginate::Collector` shapes the pages to match.
    pub fn paging(&self) -> Paging {
        match self.format {
            Format::Text => Paging::TextPages,
            Format::YamlStream => Paging::RawPages,
            _ => Paging::Merged,
        }
    }

    /// Prints one document of a streamed listing (a text page, a yaml-stream
    /// item), the query applied to it alone.
    pub fn stream(&mut self, value: &Value) -> Result<(), Error> {
        let format = self.format.check()?;
        let queried = self.apply_query(value)?;
        let value = queried.as_ref().unwrap_or(value);
        match format {
            Format::Text => written(text::write_text(&mut self.out, value)),
            Format::YamlStream => written(yaml::write_yaml_stream_item(&mut self.out, value)),
            Format::Off | Format::Unknown(_) => Ok(()),
            Format::Json | Format::Table | Format::Yaml => self.response(value),
        }
    }

    /// Flushes the writer; a closed pipe is not an error.
    pub fn flush(&mut self) -> Result<(), Error> {
        written(self.out.flush())
    }
}

/// Writes `bytes` to stdout at once (help pages, passwords, skeletons,
/// reports): the one way rcr writes outside [`Output`], with the same
/// closed-pipe rule.
pub fn print_bytes(bytes: &[u8]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    written(out.write_all(bytes).and_then(|()| out.flush()))
}

/// A closed pipe (`rcr ... | head`) is not an error worth a message: the
/// reader has what it wanted. rcr exits quietly with 0 at once, since any
/// later page or message would meet the same closed pipe. (aws v1 does so for
/// json and table but prints `[Errno 32] Broken pipe` and exits 255 for
/// text; quiet is what the issue asks for.)
fn written(result: io::Result<()>) -> Result<(), Error> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::Other(format!("could not write the output: {e}"))),
    }
}

/// Lets go of the last document printed without freeing it: the process
/// ends right after printing, and freeing a large listing's few hundred
/// thousand allocations one by one costs several percent of its CPU, where
/// the exit returns all of its memory at once.
pub fn release_at_exit(document: Value) {
    std::mem::forget(document);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(format: Format, query: Option<&str>, v: &Value) -> String {
        let q = query.map(|q| Query::compile(q).expect("query"));
        let mut o = Output::new(Vec::new(), format, q, "DescribeImages");
        o.response(v).expect("printed");
        String::from_utf8(o.into_inner()).expect("utf-8")
    }

    #[test]
    fn empty_object_prints_nothing_but_empty_list_does() {
        assert_eq!(render(Format::Json, None, &json!({})), "");
        assert_eq!(render(Format::Json, Some("a"), &json!({"a": []})), "[]\n");
        assert_eq!(render(Format::Json, Some("a"), &json!({"a": {}})), "");
        assert_eq!(render(Format::Json, Some("b"), &json!({"a": 1})), "null\n");
    }

    #[test]
    fn yaml_scalars_are_json() {
        assert_eq!(
            render(Format::Yaml, Some("a"), &json!({"a": "x"})),
            "\"x\"\n"
        );
        assert_eq!(
            render(Format::Yaml, Some("b"), &json!({"a": "x"})),
            "null\n"
        );
    }

    #[test]
    fn resolve_order() {
        assert_eq!(
            Format::resolve(Some("text"), Some("table")).ok(),
            Some(Format::Text)
        );
        assert!(Format::resolve(Some("csv"), None).is_err());
        assert_eq!(Format::resolve(None, Some("off")).ok(), Some(Format::Off));
        assert!(matches!(
            Format::resolve(None, Some("csv")),
            Ok(Format::Unknown("csv"))
        ));
    }
}

/// What the formatters' tests share: the responses of aws v2's recorded
/// runs that every format prints, and a formatter run into a string.
#[cfg(test)]
pub(crate) mod recorded {
    use std::io;

    use serde_json::Value;

    /// The describe-images response of the recorded runs.
    pub const DESCRIBE_IMAGES: &str = r#"{"imageDetails": [{"registryId": "210987654321", "repositoryName": "shop/cart", "imageDigest": "sha256:4444444444444444444444444444444444444444444444444444444444444444", "imageTags": ["1.0", "stable"], "imageSizeInBytes": 1024, "imagePushedAt": "2024-05-31T16:10:00+00:00", "artifactMediaType": "application/vnd.oci.image.config.v1+json"}, {"registryId": "210987654321", "repositoryName": "shop/cart", "imageDigest": "sha256:5555555555555555555555555555555555555555555555555555555555555555", "imageSizeInBytes": 2048, "imagePushedAt": "2024-05-31T16:11:40.123456+00:00"}]}"#;

    /// The describe-repositories response of the recorded runs.
    pub const DESCRIBE_REPOSITORIES: &str = r#"{"repositories": [{"repositoryArn": "arn:aws:ecr:eu-west-1:210987654321:repository/shop/cart", "registryId": "210987654321", "repositoryName": "shop/cart", "repositoryUri": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/cart", "createdAt": "2024-05-31T16:08:37.250000+00:00", "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": true}, "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:eu-west-1:210987654321:key/k1"}}]}"#;

    /// What `write` prints for the JSON text `json`.
    pub fn printed(json: &str, write: fn(&mut Vec<u8>, &Value) -> io::Result<()>) -> String {
        let v: Value = serde_json::from_str(json).expect("valid JSON");
        let mut out = Vec::new();
        write(&mut out, &v).expect("write to a Vec");
        String::from_utf8(out).expect("utf-8")
    }
}
