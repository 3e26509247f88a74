//! The help pages of `rcr image` and its subcommands, in the layout of the
//! other help pages (`src/custom/help.rs` renders them as text and `cargo
//! xtask man` as man pages). Options are read from the clap tree in
//! `cli.rs`, so the pages list exactly the flags the parser takes; the
//! prose and the CI examples are here.

use super::cli::{self, NAME, SUBCOMMANDS};
use crate::custom::help::{Page, PageBuilder};

/// Every page: `image` and each subcommand.
#[allow(dead_code)] // Used by `custom::help::all_pages` (man pages, tests).
pub fn all_pages() -> Vec<Page> {
    std::iter::once(page(None))
        .chain(SUBCOMMANDS.iter().map(|(name, _)| page(Some(name))))
        .collect()
}

/// The page of `image` (`None`) or of one subcommand.
pub fn page(subcommand: Option<&str>) -> Page {
    let mut p = PageBuilder::default();
    let (name, summary) = match subcommand.and_then(|s| SUBCOMMANDS.iter().find(|(n, _)| *n == s)) {
        None => {
            group(&mut p);
            (
                format!("rcr-{NAME}"),
                "ECR chores aws leaves to scripts: list, retag, clean up, gate on scans"
                    .to_string(),
            )
        }
        Some((sub, about)) => {
            subcommand_page(&mut p, sub);
            (
                format!("rcr-{NAME}-{sub}"),
                about.trim_end_matches('.').to_lowercase(),
            )
        }
    };
    Page {
        name,
        summary,
        nodes: p.nodes,
    }
}

/// An example: what it does, then the command.
fn example(p: &mut PageBuilder, what: &str, command: &str) {
    p.para(0, what);
    p.verbatim(2, command);
}

fn group(p: &mut PageBuilder) {
    p.name(NAME);
    p.heading("DESCRIPTION");
    p.para(
        0,
        "Commands for the ECR chores that aws leaves to shell loops: newest-first listing with filters, retagging without pulling, index-aware cleanup in batches, and a CI gate on scan findings. They are rcr's own (aws has no image command); they use the same profiles, regions, endpoints, retries, --output formats, --query and exit codes as every ecr command.",
    );
    p.synopsis(format!("rcr {NAME} <subcommand> [parameters]"));
    p.heading("AVAILABLE COMMANDS");
    for (name, about) in SUBCOMMANDS {
        p.bullet(0, format!("{name}: {about}"));
    }
    p.bullet(0, "help");
    p.heading("EXAMPLES");
    examples(p, None);
}

fn subcommand_page(p: &mut PageBuilder, sub: &str) {
    p.name(sub);
    p.heading("DESCRIPTION");
    for text in description(sub) {
        p.para(0, *text);
    }
    let command = cli::command();
    let Some(cmd) = command.find_subcommand(sub) else {
        return;
    };
    let mut synopsis = vec![format!("  {sub}")];
    if let Some((_, words)) = cli::POSITIONAL_SYNOPSIS.iter().find(|(n, _)| *n == sub) {
        synopsis.push((*words).to_string());
    }
    let mut options = Vec::new();
    for arg in cmd.get_arguments() {
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map(ToString::to_string);
        match (arg.get_long(), value) {
            (Some(long), Some(v)) if cli::REQUIRED_FLAGS.contains(&long) => {
                synopsis.push(format!("--{long} <{v}>"));
                options.push((format!("--{long} ({v}) [required]"), help));
            }
            (Some(long), Some(v)) => {
                synopsis.push(format!("[--{long} <{v}>]"));
                options.push((format!("--{long} ({v})"), help));
            }
            (Some(long), None) => {
                synopsis.push(format!("[--{long}]"));
                options.push((format!("--{long} (boolean)"), help));
            }
            // Positional words: in the synopsis above.
            (None, _) => {}
        }
    }
    p.synopsis(synopsis.join("\n"));
    p.heading("OPTIONS");
    for (flag, help) in options {
        p.para(0, flag);
        p.para(3, help);
    }
    p.global_options();
    p.heading("EXAMPLES");
    examples(p, Some(sub));
    p.heading("OUTPUT");
    for text in output(sub) {
        p.para(0, *text);
    }
    p.heading("EXIT STATUS");
    for text in exit_status(sub) {
        p.bullet(0, *text);
    }
}

fn description(sub: &str) -> &'static [&'static str] {
    match sub {
        "ls" => &[
            "Lists the images of a repository, newest pushed first, reading the repository page by page (DescribeImages, 1,000 images a page). --sort orders by last recorded pull, size or tag instead; --reverse turns any order around. --tag (a glob with * and ?; repeat it for any of several), --tagged or --untagged, --older-than and --newer-than (AGE: a number and s, m, h, d or w, e.g. 30d) filter; --limit N prints only the first N and keeps only N images in memory however large the repository.",
            "The output is describe-images' own document, {\"imageDetails\": [...]}, so a --query written for rcr ecr describe-images works unchanged.",
        ],
        "retag" => &[
            "Adds one or more tags to an image already in the repository, without pulling or pushing layers: BatchGetImage fetches its manifest (Docker v2, OCI manifest, OCI index and Docker manifest list all accepted, so multi-architecture images keep their index), then PutImage stores it under each new tag with its media type and digest. SOURCE is a tag or a digest (sha256:...).",
            "A tag that already points at the image is not an error, so the same retag can run twice. A missing SOURCE is an error that names it.",
        ],
        "gc" => &[
            "Deletes the images a repository no longer needs. Candidates are the images the selectors pick: --untagged (only untagged images) and --older-than AGE (pushed at least AGE ago); with only --keep, every image. Images with a tag matching a --keep-tag glob are protected. The --keep N most recently pushed candidates stay; the other candidates are deleted. At least one of --keep, --older-than and --untagged is required.",
            "Multi-architecture images are handled whole: the manifests an image index (OCI index or Docker manifest list) lists are never deleted while the index stays, and an index is deleted before the manifests it lists, as ECR requires.",
            "Without --apply only the plan is printed: every image, whether it is kept or deleted, and why. With --apply the images are deleted with BatchDeleteImage, at most 100 per call, and the output lists what was deleted and what failed.",
        ],
        "scan-gate" => &[
            "A gate for CI on an image's vulnerability scan. Waits until the scan is done (COMPLETE for basic scanning, ACTIVE for enhanced scanning), asking every 5 seconds for at most --timeout seconds (default 300), then reads every page of findings, prints the counts by severity and the findings at or above --fail-on that no --ignore names (a finding name, vulnerability id or title, case-insensitive).",
            "Exits 0 when no such finding remains and 1 when some do. A scan that failed, that cannot scan the image (UNSUPPORTED_IMAGE and the like) or that does not finish in time gives no verdict: it is an error with the scan's reason and exit status 255.",
        ],
        _ => &[],
    }
}

fn examples(p: &mut PageBuilder, sub: Option<&str>) {
    let all = sub.is_none();
    if all || sub == Some("ls") {
        example(
            p,
            "The digest of the newest image tagged release-*, for a deploy job:",
            "rcr image ls shop/cart --tag 'release-*' --limit 1 --query 'imageDetails[0].imageDigest' --output text",
        );
        if !all {
            example(
                p,
                "The ten largest untagged images pushed more than 30 days ago:",
                "rcr image ls shop/cart --untagged --older-than 30d --sort size --limit 10 --output table",
            );
        }
    }
    if all || sub == Some("retag") {
        example(
            p,
            "Promote the image a pipeline built to the tags a deployment follows:",
            "rcr image retag shop/cart \"git-$CI_COMMIT_SHA\" prod \"prod-$(date +%Y%m%d)\"",
        );
    }
    if all || sub == Some("gc") {
        example(
            p,
            "Nightly cleanup: keep the 20 newest images and anything tagged prod-*, delete the rest once older than 14 days (print the plan first, then apply):",
            "rcr image gc shop/cart --older-than 14d --keep 20 --keep-tag 'prod-*' --output table\nrcr image gc shop/cart --older-than 14d --keep 20 --keep-tag 'prod-*' --apply",
        );
    }
    if all || sub == Some("scan-gate") {
        example(
            p,
            "Fail the pipeline on HIGH or CRITICAL findings of the image just pushed, with one accepted risk:",
            "rcr image scan-gate shop/cart \"$CI_COMMIT_SHA\" --fail-on HIGH --ignore CVE-2023-4911 --timeout 600",
        );
    }
}

fn output(sub: &str) -> &'static [&'static str] {
    match sub {
        "ls" => &[
            "imageDetails -> (list): describe-images' image details (imageDigest, imageTags, imageSizeInBytes, imagePushedAt, ...), in the chosen order.",
        ],
        "retag" => &[
            "repositoryName, imageDigest and imageManifestMediaType of the image, and tags -> (list): for each new tag, imageTag and status (TAGGED, or UNCHANGED when it already pointed at the image).",
        ],
        "gc" => &[
            "Without --apply: plan -> (list), every image newest first with imageDigest, imageTags, imagePushedAt, action (keep or delete) and reason.",
            "With --apply: deleted -> (list), the images deleted (imageDigest, imageTags, imagePushedAt); failures -> (list), BatchDeleteImage's failures (imageId, failureCode, failureReason), and ImageIndexNotDeleted for manifests left because their index could not be deleted.",
        ],
        "scan-gate" => &[
            "repositoryName, imageId, imageScanStatus; findingSeverityCounts (all findings read, by severity); failOn; ignoredFindings (how many findings at or above the threshold --ignore named); findings -> (list), the findings that fail the gate (name, severity, package, uri); passed (true or false).",
        ],
        _ => &[],
    }
}

fn exit_status(sub: &str) -> &'static [&'static str] {
    match sub {
        "gc" => &[
            "0: the plan was printed, or every planned image was deleted.",
            "254: some images were not deleted (the output lists them under failures; stderr names the first), or the service answered with an error.",
            "252: a bad command line; 253: no region or credentials; 255: connection and other failures.",
        ],
        "scan-gate" => &[
            "0: the scan is done and no finding at or above --fail-on remains.",
            "1: findings at or above --fail-on remain (listed in the output).",
            "255: the scan failed, does not support the image, or did not finish within --timeout; also connection failures.",
            "254: the service answered with an error (e.g. ScanNotFoundException when the image was never scanned); 252: a bad command line; 253: no region or credentials.",
        ],
        _ => &[
            "0: success; 252: a bad command line; 253: no region or credentials; 254: the service answered with an error (for retag, also a missing SOURCE); 255: connection and other failures.",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom::help::{WIDTH, render_text};

    #[test]
    fn every_page_names_its_options_and_an_example() {
        for page in all_pages() {
            let text = render_text(&page, WIDTH);
            assert!(text.starts_with("NAME\n"), "{}", page.name);
            assert!(text.contains("\nEXAMPLES\n"), "{}", page.name);
            assert!(text.contains("rcr image "), "{}", page.name);
        }
        let text = render_text(&page(Some("gc")), WIDTH);
        for flag in [
            "--keep (N)",
            "--keep-tag (GLOB)",
            "--older-than (AGE)",
            "--untagged (boolean)",
            "--apply (boolean)",
            "--registry-id (string)",
        ] {
            assert!(text.contains(flag), "{flag}\n{text}");
        }
        assert!(text.contains("REPOSITORY"), "{text}");
    }
}
