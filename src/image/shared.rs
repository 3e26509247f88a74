//! What the image commands share: the ECR model operations they call, a
//! repository's images read page by page through the model's paginator,
//! times and image ids read from documents, and manifest media types.

use serde_json::{Map, Value, json};

use super::cli::Repository;
use crate::error::Error;
use crate::generated::ecr_model::SERVICE;
use crate::model::Operation;
use crate::paginate::{PageOptions, Pages};
use crate::sdk::ServiceClient;

/// ECR's largest DescribeImages page: ten times fewer round trips than the
/// default page of 100, and still a bounded amount of memory per page.
const PAGE_SIZE: i64 = 1000;

/// ECR's limit of image ids per BatchGetImage / BatchDeleteImage call.
pub const BATCH_LIMIT: usize = 100;

pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// Every manifest type, for BatchGetImage's `acceptedMediaTypes`: without
/// it ECR answers only Docker v2 manifests (converting or failing the rest).
pub const ACCEPTED_MEDIA_TYPES: [&str; 4] = [
    DOCKER_MANIFEST,
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_MANIFEST_LIST,
];

/// An operation of the ECR model, by its model name.
pub fn operation(name: &str) -> Result<&'static Operation, Error> {
    SERVICE
        .operations
        .iter()
        .find(|o| o.name == name)
        .ok_or_else(|| Error::internal(format!("the ecr model has no {name}")))
}

impl Repository {
    /// `{"repositoryName": ..., "registryId": ...}` (the latter when given),
    /// the start of every input document.
    pub fn input(&self) -> Map<String, Value> {
        let mut input = Map::new();
        if let Some(id) = &self.registry_id {
            input.insert("registryId".into(), json!(id));
        }
        input.insert("repositoryName".into(), json!(self.name));
        input
    }
}

/// Calls `each` with every image detail of a repository, page by page, so
/// that only one page is held at a time. `tag_status` narrows the listing on
/// the service side (`TAGGED` / `UNTAGGED`); callers still filter, since not
/// every endpoint honours it.
pub async fn for_each_image(
    client: &ServiceClient,
    repository: &Repository,
    tag_status: Option<&str>,
    mut each: impl FnMut(Value),
) -> Result<(), Error> {
    let describe = operation("DescribeImages")?;
    let paginator = describe
        .paginator
        .as_ref()
        .ok_or_else(|| Error::internal("DescribeImages has no paginator in the model"))?;
    let mut input = repository.input();
    if let Some(status) = tag_status {
        input.insert("filter".into(), json!({ "tagStatus": status }));
    }
    let options = PageOptions {
        page_size: Some(PAGE_SIZE),
        ..PageOptions::default()
    };
    let mut pages = Pages::new(paginator, Value::Object(input), &options)?;
    while let Some(request) = pages.request() {
        let request = request.clone();
        let response = client.call(describe, &request).await?;
        let mut page = pages.accept(response)?;
        if let Some(Value::Array(details)) = page.get_mut("imageDetails").map(Value::take) {
            details.into_iter().for_each(&mut each);
        }
    }
    Ok(())
}

/// A timestamp of a response document as nanoseconds since the epoch: the
/// output layer has already turned it into ISO 8601 (or kept the wire's
/// number with `cli_timestamp_format = wire`).
pub fn instant(v: Option<&Value>) -> Option<i128> {
    match v? {
        Value::Number(n) => {
            let secs = n.as_f64()?;
            // Whole seconds and microseconds apart: a float of nanoseconds
            // since the epoch would not hold them exactly.
            let whole = secs.floor();
            let micros = ((secs - whole) * 1e6).round();
            secs.is_finite()
                .then(|| whole as i128 * 1_000_000_000 + micros as i128 * 1000)
        }
        Value::String(s) => iso_instant(s).or_else(|| {
            let t = crate::timestamp::parse_input(s)?;
            Some(i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos()))
        }),
        _ => None,
    }
}

/// The timestamps the output layer writes (`2024-05-31T16:10:00+00:00`,
/// `2024-05-31T12:10:00.123456-04:00`), read without a general date parser:
/// `ls` reads one per image, and on 10,000 images a full parser costs more
/// than printing them. `None` for any other form.
fn iso_instant(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() < 25
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut micros = 0;
    if b[i] == b'.' {
        micros = num(20..26)?;
        i = 26;
    }
    let sign = match b.get(i)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[i + 1..];
    let offset = match rest.len() {
        5 if b[i + 3] == b':' => num(i + 1..i + 3)? * 3600 + num(i + 4..i + 6)? * 60,
        8 if b[i + 3] == b':' && b[i + 6] == b':' => {
            num(i + 1..i + 3)? * 3600 + num(i + 4..i + 6)? * 60 + num(i + 7..i + 9)?
        }
        _ => return None,
    };
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - sign * offset;
    Some(i128::from(secs) * 1_000_000_000 + i128::from(micros) * 1000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The current time in nanoseconds since the epoch.
pub fn now() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Seconds as nanoseconds.
pub fn seconds(s: u64) -> i128 {
    i128::from(s) * 1_000_000_000
}

/// The image id of a tag or a digest: tags cannot hold `:`, digests
/// (`sha256:...`) always do.
pub fn image_id(tag_or_digest: &str) -> Value {
    if tag_or_digest.contains(':') {
        json!({ "imageDigest": tag_or_digest })
    } else {
        json!({ "imageTag": tag_or_digest })
    }
}

/// `repository:tag` or `repository@digest`, as container tools name images.
pub fn image_name(repository: &str, tag_or_digest: &str) -> String {
    if tag_or_digest.contains(':') {
        format!("{repository}@{tag_or_digest}")
    } else {
        format!("{repository}:{tag_or_digest}")
    }
}

pub fn is_index(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
}

/// The media type of a manifest: the one the service reported, else the
/// manifest's own `mediaType`, else what its shape says (OCI allows leaving
/// `mediaType` out, and PutImage then needs it given: aws/aws-cli#6745).
pub fn media_type(reported: Option<&str>, manifest: &Value) -> String {
    if let Some(t) = reported.filter(|t| !t.is_empty()) {
        return t.to_string();
    }
    if let Some(t) = manifest.get("mediaType").and_then(Value::as_str) {
        return t.to_string();
    }
    if manifest.get("manifests").is_some() {
        return OCI_INDEX.to_string();
    }
    let config_type = manifest
        .pointer("/config/mediaType")
        .and_then(Value::as_str)
        .unwrap_or("");
    if config_type.starts_with("application/vnd.docker.") {
        DOCKER_MANIFEST.to_string()
    } else {
        OCI_MANIFEST.to_string()
    }
}

/// The digests an image index lists (`manifests[].digest`); none for a
/// plain manifest.
pub fn children(manifest: &Value) -> Vec<String> {
    manifest
        .get("manifests")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|m| m.get("digest").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The tags of an image detail.
pub fn tags(detail: &Value) -> Vec<&str> {
    detail
        .get("imageTags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names() {
        assert_eq!(image_id("v1"), json!({"imageTag": "v1"}));
        assert_eq!(image_id("sha256:ab"), json!({"imageDigest": "sha256:ab"}));
        assert_eq!(image_name("shop/cart", "v1"), "shop/cart:v1");
        assert_eq!(image_name("shop/cart", "sha256:ab"), "shop/cart@sha256:ab");
    }

    #[test]
    fn instants_from_iso_and_wire() {
        assert_eq!(
            instant(Some(&json!("2024-05-31T16:10:00+00:00"))),
            Some(1_717_171_800 * 1_000_000_000)
        );
        assert_eq!(
            instant(Some(&json!("2024-05-31T12:10:00.5-04:00"))),
            Some(1_717_171_800 * 1_000_000_000 + 500_000_000)
        );
        assert_eq!(
            instant(Some(&json!(1717171800.25))),
            Some(1_717_171_800 * 1_000_000_000 + 250_000_000)
        );
        assert_eq!(instant(Some(&json!("soon"))), None);
        // The fast reader agrees with the general parser.
        for text in [
            "1970-01-01T00:00:00+00:00",
            "2024-02-29T23:59:59.999999+05:30",
            "2023-12-31T19:00:00-05:00",
            "1969-07-20T20:17:40+00:00",
            "2000-03-01T00:00:00.000001-09:30",
            "2024-05-31T21:40:00+05:30:15",
        ] {
            let t = crate::timestamp::parse_input(text);
            let general =
                t.map(|t| i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos()));
            assert_eq!(iso_instant(text), general, "{text}");
        }
        assert_eq!(
            iso_instant("9999-12-31T23:59:59+00:00"),
            Some(253_402_300_799 * 1_000_000_000)
        );
        assert_eq!(iso_instant("2024-13-01T00:00:00+00:00"), None);
        assert_eq!(iso_instant("2024-05-31 16:10:00+00:00"), None);
        assert_eq!(iso_instant("2024-05-31T16:10:00Z"), None);
        assert_eq!(instant(None), None);
    }

    #[test]
    fn media_types_from_shape() {
        let index = json!({"schemaVersion": 2, "manifests": [{"digest": "sha256:a"}, {"digest": "sha256:b"}]});
        assert_eq!(media_type(None, &index), OCI_INDEX);
        assert_eq!(children(&index), vec!["sha256:a", "sha256:b"]);
        let docker = json!({"schemaVersion": 2, "config": {"mediaType": "application/vnd.docker.container.image.v1+json"}});
        assert_eq!(media_type(None, &docker), DOCKER_MANIFEST);
        let oci = json!({"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json"}});
        assert_eq!(media_type(None, &oci), OCI_MANIFEST);
        assert_eq!(
            media_type(Some(DOCKER_MANIFEST_LIST), &oci),
            DOCKER_MANIFEST_LIST
        );
        assert_eq!(
            media_type(Some(""), &json!({"mediaType": OCI_INDEX})),
            OCI_INDEX
        );
        assert!(is_index(OCI_INDEX) && is_index(DOCKER_MANIFEST_LIST) && !is_index(OCI_MANIFEST));
        assert!(children(&oci).is_empty());
    }
}
