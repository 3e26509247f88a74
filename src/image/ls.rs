//! `rcr image ls`: a repository's images in a useful order (newest pushed
//! first by default), filtered, and cut to `--limit`.
//!
//! The document is describe-images' own (`{"imageDetails": [...]}` with its
//! members untouched), so `--query` expressions written for describe-images
//! work unchanged. Images are read page by page; with `--limit N` only the
//! best N seen so far are kept (a bounded heap), so memory grows with N and
//! one page, not with the repository.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use serde_json::{Map, Value};

use super::cli::{LsArgs, SortKey, TagState};
use super::glob;
use super::shared::{self, instant};
use crate::error::Error;
use crate::sdk::ServiceClient;

pub async fn run(client: &ServiceClient, args: &LsArgs) -> Result<Value, Error> {
    let filter = Filter::new(args, shared::now());
    let tag_status = match args.tag_state {
        TagState::Any => None,
        TagState::Tagged => Some("TAGGED"),
        TagState::Untagged => Some("UNTAGGED"),
    };
    let mut ranking = Ranking::new(args.sort, args.reverse, args.limit);
    shared::for_each_image(client, &args.repository, tag_status, |detail| {
        if filter.accepts(&detail) {
            ranking.offer(detail);
        }
    })
    .await?;
    // Built by hand: `json!` would copy every detail through serde.
    let mut document = Map::new();
    document.insert("imageDetails".into(), Value::Array(ranking.into_sorted()));
    Ok(Value::Object(document))
}

/// The filters of the command line.
struct Filter<'a> {
    tags: &'a [String],
    tag_state: TagState,
    /// Nanoseconds: pushed at or before.
    pushed_before: Option<i128>,
    /// Nanoseconds: pushed after.
    pushed_after: Option<i128>,
}

impl<'a> Filter<'a> {
    fn new(args: &'a LsArgs, now: i128) -> Self {
        Filter {
            tags: &args.tags,
            tag_state: args.tag_state,
            pushed_before: args.older_than.map(|s| now - shared::seconds(s)),
            pushed_after: args.newer_than.map(|s| now - shared::seconds(s)),
        }
    }

    fn accepts(&self, detail: &Value) -> bool {
        if self.tag_state != TagState::Any || !self.tags.is_empty() {
            let tags = shared::tags(detail);
            let state_ok = match self.tag_state {
                TagState::Any => true,
                TagState::Tagged => !tags.is_empty(),
                TagState::Untagged => tags.is_empty(),
            };
            if !state_ok || (!self.tags.is_empty() && !glob::any_tag_matches(self.tags, tags)) {
                return false;
            }
        }
        if self.pushed_before.is_none() && self.pushed_after.is_none() {
            return true;
        }
        // An image without a push time is neither old nor new.
        let Some(pushed) = instant(detail.get("imagePushedAt")) else {
            return false;
        };
        self.pushed_before.is_none_or(|t| pushed <= t)
            && self.pushed_after.is_none_or(|t| pushed > t)
    }
}

/// What an image is ordered by.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Number(i128),
    Text(String),
}

/// One image with what it is ordered by.
struct Ranked {
    key: Option<SortValue>,
    pushed: Option<i128>,
    digest: String,
    detail: Value,
    /// Larger numbers (times, sizes) first; text A to Z.
    descending: bool,
    reverse: bool,
}

impl Ranked {
    /// `Less` when `self` is printed before `other`. Images without the
    /// sort key (never pulled, untagged under `--sort tag`) come last; ties
    /// go to the newer push, then to the digest, so the order is total and
    /// the same on every run.
    fn rank(&self, other: &Ranked) -> Ordering {
        order(&self.key, self.pushed, &self.digest, other)
    }
}

/// [`Ranked::rank`] of an image not yet made a `Ranked` (its digest not yet
/// copied): most images of a large repository are compared once with the
/// worst kept and dropped.
fn order(key: &Option<SortValue>, pushed: Option<i128>, digest: &str, other: &Ranked) -> Ordering {
    let primary = match (key, &other.key) {
        (Some(a), Some(b)) if other.descending => b.cmp(a),
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let newer_first = match (pushed, other.pushed) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let order = primary
        .then(newer_first)
        .then_with(|| digest.cmp(&other.digest));
    if other.reverse {
        order.reverse()
    } else {
        order
    }
}

// The heap's maximum is the image printed last: the first to drop.
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}

/// The images offered so far, the best `limit` of them when limited (in a
/// heap whose top is the first to drop), else all of them, sorted once at
/// the end (cheaper than a heap when nothing is dropped).
struct Ranking {
    sort: SortKey,
    reverse: bool,
    limit: Option<usize>,
    heap: BinaryHeap<Ranked>,
    all: Vec<Ranked>,
}

impl Ranking {
    fn new(sort: SortKey, reverse: bool, limit: Option<usize>) -> Self {
        Ranking {
            sort,
            reverse,
            limit,
            heap: BinaryHeap::with_capacity(limit.map_or(0, |n| n.saturating_add(1).min(4096))),
            all: Vec::new(),
        }
    }

    fn offer(&mut self, detail: Value) {
        let pushed = instant(detail.get("imagePushedAt"));
        let key = match self.sort {
            SortKey::Pushed => pushed.map(SortValue::Number),
            SortKey::Pulled => instant(detail.get("lastRecordedPullTime")).map(SortValue::Number),
            SortKey::Size => detail
                .get("imageSizeInBytes")
                .and_then(Value::as_i64)
                .map(|n| SortValue::Number(i128::from(n))),
            // An image is placed by its first tag in the order.
            SortKey::Tag => shared::tags(&detail)
                .into_iter()
                .min()
                .map(|t| SortValue::Text(t.to_string())),
        };
        let digest = shared::str_of(&detail, "imageDigest").unwrap_or("");
        if let Some(limit) = self.limit
            && self.heap.len() >= limit
        {
            match self.heap.peek() {
                // Not better than the worst kept: dropped at once.
                Some(worst) if order(&key, pushed, digest, worst) != Ordering::Less => return,
                _ => {
                    self.heap.pop();
                }
            }
        }
        let ranked = Ranked {
            key,
            pushed,
            digest: digest.to_string(),
            detail,
            descending: self.sort != SortKey::Tag,
            reverse: self.reverse,
        };
        if self.limit.is_some() {
            self.heap.push(ranked);
        } else {
            self.all.push(ranked);
        }
    }

    fn into_sorted(mut self) -> Vec<Value> {
        let sorted = if self.limit.is_some() {
            self.heap.into_sorted_vec()
        } else {
            // The order is total (the digest breaks ties): unstable is exact.
            self.all.sort_unstable_by(Ranked::rank);
            self.all
        };
        sorted.into_iter().map(|r| r.detail).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::cli::Repository;
    use serde_json::json;

    fn image(digest: &str, pushed: i64, tags: &[&str], size: i64) -> Value {
        json!({
            "imageDigest": digest,
            "imageTags": tags,
            "imageSizeInBytes": size,
            "imagePushedAt": pushed as f64,
        })
    }

    fn digests(ranking: Ranking) -> Vec<String> {
        ranking
            .into_sorted()
            .iter()
            .map(|d| d["imageDigest"].as_str().unwrap_or("").to_string())
            .collect()
    }

    fn sample() -> Vec<Value> {
        vec![
            image("sha256:b", 200, &["v2"], 10),
            image("sha256:a", 100, &["v1", "latest"], 30),
            image("sha256:d", 400, &[], 40),
            image("sha256:c", 300, &["v3"], 20),
        ]
    }

    fn ranked(sort: SortKey, reverse: bool, limit: Option<usize>) -> Vec<String> {
        let mut r = Ranking::new(sort, reverse, limit);
        for d in sample() {
            r.offer(d);
        }
        digests(r)
    }

    #[test]
    fn orders() {
        // The wanted orders as the letters of the sample's digests.
        for (key, reverse, want) in [
            (SortKey::Pushed, false, "dcba"),
            (SortKey::Pushed, true, "abcd"),
            (SortKey::Size, false, "dacb"),
            // `latest` < `v2` < `v3`; untagged last.
            (SortKey::Tag, false, "abcd"),
            // Never pulled: by push time.
            (SortKey::Pulled, false, "dcba"),
        ] {
            let letters: String = ranked(key, reverse, None)
                .iter()
                .map(|d| d.trim_start_matches("sha256:"))
                .collect();
            assert_eq!(letters, want, "{key:?} reverse {reverse}");
        }
    }

    #[test]
    fn limit_keeps_the_best_whatever_the_arrival_order() {
        assert_eq!(
            ranked(SortKey::Pushed, false, Some(2)),
            ["sha256:d", "sha256:c"]
        );
        assert_eq!(ranked(SortKey::Pushed, true, Some(1)), ["sha256:a"]);
        let mut r = Ranking::new(SortKey::Pushed, false, Some(3));
        for i in (0..1000).rev().chain(1000..2000) {
            r.offer(image(&format!("sha256:{i:04}"), i, &[], 1));
            assert!(r.heap.len() <= 3);
        }
        assert_eq!(digests(r), ["sha256:1999", "sha256:1998", "sha256:1997"]);
    }

    #[test]
    fn equal_push_times_break_by_digest() {
        let mut r = Ranking::new(SortKey::Pushed, false, Some(2));
        for d in ["sha256:c", "sha256:a", "sha256:b"] {
            r.offer(image(d, 5, &[], 1));
        }
        assert_eq!(digests(r), ["sha256:a", "sha256:b"]);
    }

    #[test]
    fn filters() {
        let args = |tags: &[&str], state, older, newer| LsArgs {
            repository: Repository {
                name: "r".into(),
                registry_id: None,
            },
            sort: SortKey::Pushed,
            reverse: false,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            tag_state: state,
            older_than: older,
            newer_than: newer,
            limit: None,
        };
        let now = shared::seconds(1000);
        let count = |a: &LsArgs| {
            sample()
                .iter()
                .filter(|d| Filter::new(a, now).accepts(d))
                .count()
        };
        assert_eq!(count(&args(&[], TagState::Any, None, None)), 4);
        assert_eq!(count(&args(&[], TagState::Untagged, None, None)), 1);
        assert_eq!(count(&args(&[], TagState::Tagged, None, None)), 3);
        assert_eq!(count(&args(&["v*"], TagState::Any, None, None)), 3);
        assert_eq!(
            count(&args(&["latest", "v3"], TagState::Any, None, None)),
            2
        );
        // Pushed at 100..400, now 1000: older than 700 s = pushed at or before 300.
        assert_eq!(count(&args(&[], TagState::Any, Some(700), None)), 3);
        assert_eq!(count(&args(&[], TagState::Any, None, Some(700))), 1);
        assert_eq!(count(&args(&[], TagState::Any, Some(750), Some(850))), 1);
    }
}
