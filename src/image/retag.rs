//! `rcr image retag`: new tags for an image that is already in the
//! repository, without pulling or pushing any layer.
//!
//! BatchGetImage fetches the manifest (every manifest media type accepted, so
//! OCI manifests and multi-arch indexes come back as they are), then PutImage
//! stores the same manifest under each new tag, with its media type (needed
//! when the manifest does not name it: aws/aws-cli#6745) and its digest.
//! A tag that already points at that digest is success, so a CI job can run
//! the same retag twice.

use serde_json::{Value, json};

use super::cli::RetagArgs;
use super::shared::{self, ACCEPTED_MEDIA_TYPES};
use crate::error::Error;
use crate::sdk::ServiceClient;

/// The source image, as BatchGetImage gave it.
struct Source {
    digest: String,
    manifest: String,
    media_type: String,
}

pub async fn run(
    client: &ServiceClient,
    args: &RetagArgs,
) -> Result<(Value, Option<Error>), Error> {
    let source = fetch(client, args, &args.source).await?;
    let put = shared::operation("PutImage")?;
    let mut tags = Vec::new();
    let mut failure = None;
    for tag in &args.new_tags {
        let mut input = args.repository.input();
        input.insert("imageManifest".into(), json!(source.manifest));
        input.insert("imageManifestMediaType".into(), json!(source.media_type));
        input.insert("imageTag".into(), json!(tag));
        input.insert("imageDigest".into(), json!(source.digest));
        let status = match client.call(put, &Value::Object(input)).await {
            Ok(_) => "TAGGED",
            Err(Error::Service { code, .. })
                if code == "ImageAlreadyExistsException"
                    && points_at(client, args, tag, &source.digest).await =>
            {
                "UNCHANGED"
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        tags.push(json!({ "imageTag": tag, "status": status }));
    }
    let document = json!({
        "repositoryName": args.repository.name,
        "imageDigest": source.digest,
        "imageManifestMediaType": source.media_type,
        "tags": tags,
    });
    Ok((document, failure))
}

/// The image named by `tag_or_digest`, or an error that names it.
async fn fetch(
    client: &ServiceClient,
    args: &RetagArgs,
    tag_or_digest: &str,
) -> Result<Source, Error> {
    let get = shared::operation("BatchGetImage")?;
    let mut input = args.repository.input();
    input.insert("imageIds".into(), json!([shared::image_id(tag_or_digest)]));
    input.insert("acceptedMediaTypes".into(), json!(ACCEPTED_MEDIA_TYPES));
    let response = client.call(get, &Value::Object(input)).await?;
    let image = response
        .get("images")
        .and_then(Value::as_array)
        .and_then(|images| images.first());
    let manifest_text = image.and_then(|i| shared::str_of(i, "imageManifest"));
    let (Some(image), Some(manifest_text)) = (image, manifest_text) else {
        let failure = response
            .get("failures")
            .and_then(Value::as_array)
            .and_then(|f| f.first());
        let code = failure
            .and_then(|f| shared::str_of(f, "failureCode"))
            .unwrap_or("ImageNotFound");
        let reason = failure
            .and_then(|f| shared::str_of(f, "failureReason"))
            .unwrap_or("Requested image not found");
        return Err(Error::Service {
            code: code.to_string(),
            operation: get.name.to_string(),
            message: format!(
                "{reason}: {} (the image to retag)",
                shared::image_name(&args.repository.name, tag_or_digest)
            ),
            max_retries: None,
            members: Box::default(),
            generic: false,
        });
    };
    let manifest: Value = serde_json::from_str(manifest_text).unwrap_or(Value::Null);
    let digest = image
        .pointer("/imageId/imageDigest")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            tag_or_digest
                .contains(':')
                .then(|| tag_or_digest.to_string())
        })
        .ok_or_else(|| {
            Error::Other(format!(
                "BatchGetImage returned {} without its digest",
                shared::image_name(&args.repository.name, tag_or_digest)
            ))
        })?;
    Ok(Source {
        digest,
        media_type: shared::media_type(shared::str_of(image, "imageManifestMediaType"), &manifest),
        manifest: manifest_text.to_string(),
    })
}

/// Whether `tag` already names the image `digest`: what makes
/// ImageAlreadyExistsException a success rather than a conflict.
async fn points_at(client: &ServiceClient, args: &RetagArgs, tag: &str, digest: &str) -> bool {
    match fetch(client, args, tag).await {
        Ok(current) => current.digest == digest,
        Err(_) => false,
    }
}
