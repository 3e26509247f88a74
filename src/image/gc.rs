//! `rcr image gc`: delete the images a repository no longer needs, as a
//! plan first and for real with `--apply`.
//!
//! Candidates are the images the selectors pick (`--untagged`, `--older-than`;
//! every image when only `--keep` is given); an image with a tag matching
//! `--keep-tag` is protected; the `--keep` newest candidates stay; the rest
//! are to be deleted. Multi-architecture images make this more than a
//! filter: an image index (Docker manifest list, OCI index) lists child
//! manifests that are images of their own, usually untagged. A child of an
//! index that stays must stay too (else the kept index is broken), and an
//! index must be deleted before its children (ECR refuses to delete a
//! manifest an index still references). Indexes are found from the listing's
//! media type and their children read from their manifests (BatchGetImage).
//!
//! With `--apply` the deletions go out in BatchDeleteImage calls of at most
//! 100 images, one level of the index tree after another (indexes, then their
//! children); when an index could not be deleted its children are left alone.
//! The output lists what was deleted and what failed; any failure makes the
//! command end with aws's service-error code, 254.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::cli::GcArgs;
use super::glob;
use super::shared::{self, ACCEPTED_MEDIA_TYPES, BATCH_LIMIT};
use crate::error::Error;
use crate::sdk::ServiceClient;

/// One image of the repository, as planning needs it.
#[derive(Debug, Clone)]
pub struct Image {
    pub digest: String,
    pub tags: Vec<String>,
    /// Nanoseconds since the epoch.
    pub pushed: Option<i128>,
    /// The `imagePushedAt` value as listed, for the output.
    pub pushed_at: Value,
    pub media_type: Option<String>,
}

impl Image {
    fn from_detail(detail: &Value) -> Option<Image> {
        Some(Image {
            digest: shared::str_of(detail, "imageDigest")?.to_string(),
            tags: shared::tags(detail)
                .into_iter()
                .map(str::to_string)
                .collect(),
            pushed: shared::instant(detail.get("imagePushedAt")),
            pushed_at: detail.get("imagePushedAt").cloned().unwrap_or(Value::Null),
            media_type: shared::str_of(detail, "imageManifestMediaType").map(str::to_string),
        })
    }

    /// Whether its manifest must be read to know if it is an index.
    fn may_be_index(&self) -> bool {
        self.media_type.as_deref().is_none_or(shared::is_index)
    }
}

/// The selectors of the command line.
#[derive(Debug, Default)]
pub struct Rules {
    pub keep: Option<usize>,
    pub keep_tags: Vec<String>,
    /// Nanoseconds: only images pushed at or before are candidates.
    pub pushed_before: Option<i128>,
    /// The AGE as given, for the reasons.
    pub older_than_text: Option<String>,
    pub untagged: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Keep,
    Delete,
}

/// The decision on one image.
#[derive(Debug, Clone)]
pub struct Decision {
    pub image: Image,
    pub action: Action,
    pub reason: String,
}

/// What gc will do: every image newest first, and the order of deletion.
#[derive(Debug)]
pub struct Plan {
    pub decisions: Vec<Decision>,
    /// Digests to delete, level by level: each level's indexes before the
    /// children in the next.
    pub levels: Vec<Vec<String>>,
    /// Index digest to the digests it lists.
    pub children: HashMap<String, Vec<String>>,
}

/// Decides every image. `children` maps each index to the manifests it lists.
pub fn plan(mut images: Vec<Image>, children: HashMap<String, Vec<String>>, rules: &Rules) -> Plan {
    images.sort_by(|a, b| {
        b.pushed
            .cmp(&a.pushed)
            .then_with(|| a.digest.cmp(&b.digest))
    });
    let mut candidates_seen = 0usize;
    let mut decisions: Vec<Decision> = images
        .into_iter()
        .map(|image| {
            let (action, reason) = decide(&image, rules, &mut candidates_seen);
            Decision {
                image,
                action,
                reason,
            }
        })
        .collect();

    // Whatever stays keeps what it lists, down the whole tree.
    let position: HashMap<String, usize> = decisions
        .iter()
        .enumerate()
        .map(|(i, d)| (d.image.digest.clone(), i))
        .collect();
    let mut work: Vec<usize> = (0..decisions.len())
        .filter(|&i| decisions[i].action == Action::Keep)
        .collect();
    while let Some(i) = work.pop() {
        let parent = decisions[i].image.digest.clone();
        for child in children.get(&parent).into_iter().flatten() {
            if let Some(&c) = position.get(child)
                && decisions[c].action == Action::Delete
            {
                decisions[c].action = Action::Keep;
                decisions[c].reason = format!("listed by image index {parent}, which is kept");
                work.push(c);
            }
        }
    }

    let levels = deletion_levels(&decisions, &children);
    Plan {
        decisions,
        levels,
        children,
    }
}

fn decide(image: &Image, rules: &Rules, candidates_seen: &mut usize) -> (Action, String) {
    if let Some(tag) = image
        .tags
        .iter()
        .find(|t| glob::any_tag_matches(&rules.keep_tags, [t.as_str()]))
    {
        return (
            Action::Keep,
            format!("protected: tag {tag} matches --keep-tag"),
        );
    }
    if rules.untagged && !image.tags.is_empty() {
        return (
            Action::Keep,
            "tagged; --untagged selects untagged images".into(),
        );
    }
    let mut why = Vec::new();
    if rules.untagged {
        why.push("untagged".to_string());
    }
    if let Some(before) = rules.pushed_before {
        let age = rules.older_than_text.as_deref().unwrap_or("AGE");
        match image.pushed {
            Some(p) if p <= before => why.push(format!("pushed more than {age} ago")),
            Some(_) => return (Action::Keep, format!("pushed less than {age} ago")),
            None => {
                return (
                    Action::Keep,
                    "no push time; --older-than cannot apply".into(),
                );
            }
        }
    }
    *candidates_seen += 1;
    if let Some(keep) = rules.keep {
        if *candidates_seen <= keep {
            return (
                Action::Keep,
                format!("among the {keep} newest candidates (--keep {keep})"),
            );
        }
        why.push(format!("not among the {keep} newest candidates"));
    }
    (Action::Delete, why.join(", "))
}

/// The images to delete in an order ECR accepts: an index before any
/// manifest it lists (Kahn's algorithm over the deleted part of the tree).
fn deletion_levels(
    decisions: &[Decision],
    children: &HashMap<String, Vec<String>>,
) -> Vec<Vec<String>> {
    let doomed: Vec<&str> = decisions
        .iter()
        .filter(|d| d.action == Action::Delete)
        .map(|d| d.image.digest.as_str())
        .collect();
    let doomed_set: HashSet<&str> = doomed.iter().copied().collect();
    let mut parents_left: HashMap<&str, usize> = doomed.iter().map(|d| (*d, 0)).collect();
    for parent in &doomed {
        for child in children.get(*parent).into_iter().flatten() {
            if let Some(n) = parents_left.get_mut(child.as_str()) {
                *n += 1;
            }
        }
    }
    let mut levels = Vec::new();
    let mut placed: HashSet<&str> = HashSet::new();
    let mut current: Vec<&str> = doomed
        .iter()
        .copied()
        .filter(|d| parents_left.get(d) == Some(&0))
        .collect();
    while !current.is_empty() {
        let mut next = Vec::new();
        for parent in &current {
            placed.insert(parent);
            for child in children.get(*parent).into_iter().flatten() {
                if !doomed_set.contains(child.as_str()) {
                    continue;
                }
                if let Some(n) = parents_left.get_mut(child.as_str()) {
                    *n -= 1;
                    if *n == 0 {
                        next.push(child.as_str());
                    }
                }
            }
        }
        levels.push(current.iter().map(|d| d.to_string()).collect());
        current = next;
    }
    // A cycle cannot happen between content-addressed manifests; whatever a
    // broken listing leaves over goes last.
    let rest: Vec<String> = doomed
        .iter()
        .filter(|d| !placed.contains(*d))
        .map(|d| d.to_string())
        .collect();
    if !rest.is_empty() {
        levels.push(rest);
    }
    levels
}

pub async fn run(client: &ServiceClient, args: &GcArgs) -> Result<(Value, Option<Error>), Error> {
    let mut images = Vec::new();
    shared::for_each_image(client, &args.repository, None, |detail| {
        images.extend(Image::from_detail(&detail));
    })
    .await?;
    let children = read_indexes(client, args, &images).await?;
    let rules = Rules {
        keep: args.keep,
        keep_tags: args.keep_tags.clone(),
        pushed_before: args.older_than.map(|s| shared::now() - shared::seconds(s)),
        older_than_text: args.older_than.map(age_text),
        untagged: args.untagged,
    };
    let plan = plan(images, children, &rules);
    if !args.apply {
        return Ok((plan_document(&plan), None));
    }
    apply(client, args, &plan).await
}

/// An AGE in seconds, back in the largest whole unit.
fn age_text(seconds: u64) -> String {
    for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60)] {
        if seconds >= size && seconds.is_multiple_of(size) {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

/// The manifests listed by every image index of the repository.
async fn read_indexes(
    client: &ServiceClient,
    args: &GcArgs,
    images: &[Image],
) -> Result<HashMap<String, Vec<String>>, Error> {
    let get = shared::operation("BatchGetImage")?;
    let wanted: Vec<&str> = images
        .iter()
        .filter(|i| i.may_be_index())
        .map(|i| i.digest.as_str())
        .collect();
    let mut children = HashMap::new();
    for batch in wanted.chunks(BATCH_LIMIT) {
        let mut input = args.repository.input();
        let ids: Vec<Value> = batch.iter().map(|d| json!({ "imageDigest": d })).collect();
        input.insert("imageIds".into(), Value::Array(ids));
        input.insert("acceptedMediaTypes".into(), json!(ACCEPTED_MEDIA_TYPES));
        let response = client.call(get, &Value::Object(input)).await?;
        for image in response
            .get("images")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(digest) = image
                .pointer("/imageId/imageDigest")
                .and_then(Value::as_str)
            else {
                continue;
            };
            let manifest: Value = shared::str_of(image, "imageManifest")
                .and_then(|m| serde_json::from_str(m).ok())
                .unwrap_or(Value::Null);
            let listed = shared::children(&manifest);
            if !listed.is_empty() {
                children.insert(digest.to_string(), listed);
            }
        }
    }
    Ok(children)
}

fn image_summary(image: &Image) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("imageDigest".into(), json!(image.digest));
    if !image.tags.is_empty() {
        m.insert("imageTags".into(), json!(image.tags));
    }
    if !image.pushed_at.is_null() {
        m.insert("imagePushedAt".into(), image.pushed_at.clone());
    }
    m
}

fn plan_document(plan: &Plan) -> Value {
    let entries: Vec<Value> = plan
        .decisions
        .iter()
        .map(|d| {
            let mut m = image_summary(&d.image);
            let action = match d.action {
                Action::Keep => "keep",
                Action::Delete => "delete",
            };
            m.insert("action".into(), json!(action));
            m.insert("reason".into(), json!(d.reason));
            Value::Object(m)
        })
        .collect();
    document("plan", entries, None)
}

/// Deletes the plan's images level by level and reports each one.
async fn apply(
    client: &ServiceClient,
    args: &GcArgs,
    plan: &Plan,
) -> Result<(Value, Option<Error>), Error> {
    let delete = shared::operation("BatchDeleteImage")?;
    let by_digest: HashMap<&str, &Image> = plan
        .decisions
        .iter()
        .map(|d| (d.image.digest.as_str(), &d.image))
        .collect();
    let mut deleted: Vec<Value> = Vec::new();
    let mut failures: Vec<Value> = Vec::new();
    // Digests that must not be deleted: the children of an index that stayed.
    let mut held: BTreeMap<String, String> = BTreeMap::new();
    let mut error = None;
    'levels: for level in &plan.levels {
        let mut todo = Vec::new();
        for digest in level {
            match held.get(digest) {
                Some(parent) => failures.push(json!({
                    "imageId": { "imageDigest": digest },
                    "failureCode": "ImageIndexNotDeleted",
                    "failureReason": format!("not deleted: it is listed by image index {parent}, which could not be deleted"),
                })),
                None => todo.push(digest.as_str()),
            }
        }
        for batch in todo.chunks(BATCH_LIMIT) {
            let mut input = args.repository.input();
            let ids: Vec<Value> = batch.iter().map(|d| json!({ "imageDigest": d })).collect();
            input.insert("imageIds".into(), Value::Array(ids));
            let response = match client.call(delete, &Value::Object(input)).await {
                Ok(r) => r,
                Err(e) => {
                    error = Some(e);
                    break 'levels;
                }
            };
            let mut failed: HashSet<String> = HashSet::new();
            for f in response
                .get("failures")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(d) = f.pointer("/imageId/imageDigest").and_then(Value::as_str) {
                    failed.insert(d.to_string());
                }
                failures.push(f.clone());
            }
            for digest in batch {
                if failed.contains(*digest) {
                    for child in plan.children.get(*digest).into_iter().flatten() {
                        held.entry(child.clone())
                            .or_insert_with(|| digest.to_string());
                    }
                } else if let Some(image) = by_digest.get(digest) {
                    deleted.push(Value::Object(image_summary(image)));
                }
            }
        }
    }
    let failure_count = failures.len();
    let deleted_count = deleted.len();
    let first_failure = failures.first().cloned();
    let document = document("deleted", deleted, Some(("failures", failures)));
    if error.is_none()
        && let Some(first) = &first_failure
    {
        let code = shared::str_of(first, "failureCode").unwrap_or("ImageNotDeleted");
        let reason = shared::str_of(first, "failureReason").unwrap_or("");
        let digest = first
            .pointer("/imageId/imageDigest")
            .and_then(Value::as_str)
            .unwrap_or("an image");
        error = Some(Error::Service {
            code: code.to_string(),
            operation: delete.name.to_string(),
            message: format!(
                "{} of {} images were not deleted; the first, {digest}: {reason}",
                failure_count,
                failure_count + deleted_count
            ),
            max_retries: None,
            members: Box::default(),
            generic: false,
        });
    }
    Ok((document, error))
}

/// `{key: [...], key2: [...]}`, built by hand: `json!` would copy every
/// entry through serde.
fn document(key: &str, list: Vec<Value>, second: Option<(&str, Vec<Value>)>) -> Value {
    let mut m = Map::new();
    m.insert(key.into(), Value::Array(list));
    if let Some((k, v)) = second {
        m.insert(k.into(), Value::Array(v));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(digest: &str, pushed: i64, tags: &[&str], index: bool) -> Image {
        Image {
            digest: digest.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            pushed: Some(shared::seconds(pushed as u64)),
            pushed_at: json!(pushed),
            media_type: Some(
                if index {
                    shared::OCI_INDEX
                } else {
                    shared::OCI_MANIFEST
                }
                .into(),
            ),
        }
    }

    fn actions(plan: &Plan) -> Vec<(String, Action)> {
        plan.decisions
            .iter()
            .map(|d| (d.image.digest.clone(), d.action))
            .collect()
    }

    fn deleted(plan: &Plan) -> Vec<&str> {
        plan.decisions
            .iter()
            .filter(|d| d.action == Action::Delete)
            .map(|d| d.image.digest.as_str())
            .collect()
    }

    #[test]
    fn keep_newest_candidates() {
        let images = (0..10)
            .map(|i| img(&format!("d{i}"), i, &[&format!("v{i}")], false))
            .collect();
        let rules = Rules {
            keep: Some(3),
            ..Rules::default()
        };
        let p = plan(images, HashMap::new(), &rules);
        assert_eq!(p.decisions[0].image.digest, "d9");
        assert_eq!(deleted(&p), ["d6", "d5", "d4", "d3", "d2", "d1", "d0"]);
        assert_eq!(p.levels.len(), 1);
        assert!(p.decisions[0].reason.contains("--keep 3"));
    }

    #[test]
    fn keep_tag_untagged_and_older_than() {
        let images = vec![
            img("new-untagged", 100, &[], false),
            img("old-untagged", 10, &[], false),
            img("old-prod", 5, &["prod-1"], false),
            img("old-dev", 4, &["dev"], false),
        ];
        let rules = Rules {
            keep_tags: vec!["prod-*".into()],
            pushed_before: Some(shared::seconds(50)),
            older_than_text: Some("1d".into()),
            ..Rules::default()
        };
        let p = plan(images.clone(), HashMap::new(), &rules);
        assert_eq!(deleted(&p), ["old-untagged", "old-dev"]);
        let reason = |d: &str| {
            p.decisions
                .iter()
                .find(|x| x.image.digest == d)
                .unwrap()
                .reason
                .clone()
        };
        assert_eq!(
            reason("old-prod"),
            "protected: tag prod-1 matches --keep-tag"
        );
        assert_eq!(reason("new-untagged"), "pushed less than 1d ago");
        assert_eq!(reason("old-dev"), "pushed more than 1d ago");

        let rules = Rules {
            untagged: true,
            keep: Some(1),
            ..Rules::default()
        };
        let p = plan(images, HashMap::new(), &rules);
        assert_eq!(deleted(&p), ["old-untagged"]);
    }

    #[test]
    fn indexes_first_and_children_of_kept_indexes_stay() {
        // Two multi-arch releases: the newer kept by --keep 1, the older
        // deleted with its children; index `shared` shares a child with the
        // kept one.
        let images = vec![
            img("idx-new", 100, &["v2"], true),
            img("new-amd64", 99, &[], false),
            img("new-arm64", 99, &[], false),
            img("idx-old", 50, &["v1"], true),
            img("old-amd64", 49, &[], false),
            img("old-arm64", 49, &[], false),
        ];
        let children = HashMap::from([
            (
                "idx-new".to_string(),
                vec!["new-amd64".to_string(), "new-arm64".to_string()],
            ),
            (
                "idx-old".to_string(),
                vec![
                    "old-amd64".to_string(),
                    "old-arm64".to_string(),
                    "new-arm64".to_string(),
                ],
            ),
        ]);
        let rules = Rules {
            keep: Some(1),
            ..Rules::default()
        };
        let p = plan(images, children, &rules);
        let acts = actions(&p);
        assert!(acts.contains(&("idx-new".into(), Action::Keep)));
        assert!(acts.contains(&("new-amd64".into(), Action::Keep)));
        assert!(acts.contains(&("new-arm64".into(), Action::Keep)));
        assert_eq!(
            p.levels,
            vec![
                vec!["idx-old".to_string()],
                vec!["old-amd64".to_string(), "old-arm64".to_string()]
            ]
        );
        let reason = &p
            .decisions
            .iter()
            .find(|d| d.image.digest == "new-amd64")
            .unwrap()
            .reason;
        assert_eq!(reason, "listed by image index idx-new, which is kept");
    }

    #[test]
    fn protected_index_keeps_nested_children() {
        let images = vec![
            img("top", 10, &["prod"], true),
            img("mid", 9, &[], true),
            img("leaf", 8, &[], false),
            img("stray", 7, &[], false),
        ];
        let children = HashMap::from([
            ("top".to_string(), vec!["mid".to_string()]),
            ("mid".to_string(), vec!["leaf".to_string()]),
        ]);
        let rules = Rules {
            keep_tags: vec!["prod".into()],
            untagged: true,
            ..Rules::default()
        };
        let p = plan(images, children, &rules);
        assert_eq!(deleted(&p), ["stray"]);
    }

    #[test]
    fn nested_deleted_indexes_go_level_by_level() {
        let images = vec![
            img("top", 10, &[], true),
            img("mid", 9, &[], true),
            img("leaf", 8, &[], false),
        ];
        let children = HashMap::from([
            (
                "top".to_string(),
                vec!["mid".to_string(), "leaf".to_string()],
            ),
            ("mid".to_string(), vec!["leaf".to_string()]),
        ]);
        let rules = Rules {
            untagged: true,
            ..Rules::default()
        };
        let p = plan(images, children, &rules);
        assert_eq!(
            p.levels,
            vec![
                vec!["top".to_string()],
                vec!["mid".to_string()],
                vec!["leaf".to_string()]
            ]
        );
    }

    #[test]
    fn ages_back_to_text() {
        assert_eq!(age_text(30 * 86_400), "30d");
        assert_eq!(age_text(90 * 60), "90m");
        assert_eq!(age_text(2 * 604_800), "2w");
        assert_eq!(age_text(45), "45s");
    }
}
