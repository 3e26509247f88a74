//! Formatting micro-benchmark: a 10,000-image `describe-images` response
//! already in memory, printed in each `--output` format (and through a
//! `--query`), plus merging it from 100 pages, timed with a monotonic clock.
//!
//! Run: `cargo run --release --example format_bench` (prints the median of 9
//! runs per format, in milliseconds). It calls the rcr library's output
//! layer, so it measures exactly what rcr runs.

use std::time::Instant;

use serde_json::{Value, json};

use rcr::output::{Format, Output, Query};

fn response(n: usize) -> Value {
    let details: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "registryId": "210987654321",
                "repositoryName": "shop/cart",
                "imageDigest": format!("sha256:{i:064x}"),
                "imageTags": [format!("v{i}"), "stable"],
                "imageSizeInBytes": 1024 * i as u64 + 17,
                "imagePushedAt": "2024-05-31T16:10:00+00:00",
                "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
                "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": 3, "LOW": i % 7}},
                "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "artifactMediaType": "application/vnd.oci.image.config.v1+json",
            })
        })
        .collect();
    json!({ "imageDetails": details })
}

static PAGINATOR: rcr::model::Paginator = rcr::model::Paginator {
    input_token: &["nextToken"],
    output_token: &["nextToken"],
    limit_key: Some("maxResults"),
    result_keys: &["imageDetails"],
    non_aggregate_keys: &[],
    more_results: None,
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn time(label: &str, mut f: impl FnMut() -> usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..9 {
        let start = Instant::now();
        bytes = f();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!("{label:<28} {:>9.2} ms  ({bytes} bytes)", median(times));
}

fn main() {
    let value = response(10_000);
    let formats = [
        ("json", Format::Json),
        ("text", Format::Text),
        ("table", Format::Table),
        ("yaml", Format::Yaml),
        ("yaml-stream", Format::YamlStream),
    ];
    println!("10,000 images in memory, median of 9 runs:");
    for (name, format) in formats {
        time(name, || {
            let mut out = Output::new(Vec::with_capacity(1 << 24), format, None, "DescribeImages");
            let _ = out.response(&value);
            out.into_inner().len()
        });
    }
    let query = Query::compile(
        "imageDetails[?imageSizeInBytes > `5000`].{d: imageDigest, t: imageTags[0]}",
    )
    .unwrap_or_else(|e| panic!("benchmark query: {e}"));
    for (name, format) in formats {
        time(&format!("{name} --query"), || {
            let mut out = Output::new(
                Vec::with_capacity(1 << 24),
                format,
                Some(query.clone()),
                "DescribeImages",
            );
            let _ = out.response(&value);
            out.into_inner().len()
        });
    }
    // 100 pages of 100 images through the pager and merger, printed as json.
    let pages: Vec<Value> = value["imageDetails"]
        .as_array()
        .map(|a| {
            a.chunks(100)
                .enumerate()
                .map(|(i, c)| {
                    let mut p = json!({ "imageDetails": c });
                    if i < 99 {
                        p["nextToken"] = json!(format!("t{}", i + 1));
                    }
                    p
                })
                .collect()
        })
        .unwrap_or_default();
    // What the page loop below spends copying the canned pages (a real run
    // gets each page from the SDK instead): subtract it from those lines.
    time("(copying 100 pages)", || {
        pages
            .iter()
            .map(|p| p.clone().as_object().map_or(0, |m| m.len()))
            .sum()
    });
    for (name, format) in formats {
        time(&format!("{name} from 100 pages"), || {
            let mut out = Output::new(Vec::with_capacity(1 << 24), format, None, "DescribeImages");
            let Ok(mut pager) =
                rcr::paginate::Pages::new(&PAGINATOR, json!({}), &Default::default())
            else {
                return 0;
            };
            let mut collector = rcr::paginate::Collector::new(&PAGINATOR, out.paging());
            let mut i = 0;
            while pager.request().is_some() {
                let Ok(page) = pager.accept(pages[i].clone()) else {
                    return 0;
                };
                i += 1;
                let _ = collector.print_page(&mut out, page, pager.non_aggregate(), false);
            }
            let _ =
                collector.print_end(&mut out, pager.non_aggregate(), pager.resume_token(), false);
            out.into_inner().len()
        });
    }
}
