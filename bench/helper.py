#!/usr/bin/env python3
"""Helpers for bench/run.sh: seed moto, capture and replay its answers,
measure CPU and peak memory, and write the results table.

Standard library only, so it runs under any Python 3.9+ (run.sh uses the
test venv's interpreter). Every network call goes to 127.0.0.1.

Subcommands:
  seed URL N            create repositories `one` and `big`, put N images in `big`
  capture URL DIR       save moto's raw answers to the benchmarked calls in DIR,
                        and DescribeImages cut into pages of 1,000
  rusage OUT.json N -- CMD...
                        run CMD N times under bench/rusage.rs; medians to OUT.json
  report RESULTS_DIR OUT.md
                        the Markdown table from the hyperfine and rusage JSON
"""

import hashlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

ECR = "AmazonEC2ContainerRegistry_V20150921."
# moto and the stand-in do not check signatures; a SigV4-shaped header only
# tells moto the region and service, as a real client's would.
AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecr/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)


class Client:
    """One keep-alive connection for many calls: seeding 10,000 images over a
    single socket takes seconds, where 10,000 CLI runs would take hours."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        if parsed.hostname != "127.0.0.1":
            raise SystemExit(f"refusing non-loopback endpoint {url}")
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)

    def call(self, operation, body):
        data = json.dumps(body).encode()
        self.conn.request(
            "POST",
            "/",
            body=data,
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": ECR + operation,
                "X-Amz-Date": "20240101T000000Z",
                "Authorization": AUTH,
            },
        )
        resp = self.conn.getresponse()
        payload = resp.read()
        if resp.status != 200:
            raise SystemExit(f"{operation} answered {resp.status}: {payload[:300]!r}")
        return payload


def manifest(i):
    """A distinct, valid schema-2 manifest per image: moto derives the digest
    from the layer digests and the size from the layer sizes."""
    layer = hashlib.sha256(f"layer-{i}".encode()).hexdigest()
    config = hashlib.sha256(f"config-{i}".encode()).hexdigest()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1000 + i,
                "digest": "sha256:" + config,
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 100000 + i,
                    "digest": "sha256:" + layer,
                }
            ],
        },
        separators=(",", ":"),
    )


def seed(url, count):
    c = Client(url)
    c.call("CreateRepository", {"repositoryName": "one"})
    c.call("CreateRepository", {"repositoryName": "big"})
    start = time.monotonic()
    for i in range(count):
        c.call(
            "PutImage",
            {"repositoryName": "big", "imageManifest": manifest(i), "imageTag": f"v{i}"},
        )
        if (i + 1) % 2000 == 0:
            print(f"  seeded {i + 1}/{count} images ({time.monotonic() - start:.0f} s)", flush=True)
    body = json.loads(c.call("DescribeImages", {"repositoryName": "big"}))
    got = len(body.get("imageDetails", []))
    if got != count:
        raise SystemExit(f"big holds {got} images, expected {count}")


# The calls the benchmark makes, by X-Amz-Target, with the body to capture.
CAPTURED = {
    "DescribeRepositories": {"repositoryNames": ["one"]},
    "GetAuthorizationToken": {},
    "DescribeImages": {"repositoryName": "big"},
}


# moto answers DescribeImages in one page whatever maxResults says; ECR pages
# it. The stand-in serves these pages (of the size `rcr image ls` asks for)
# to a request carrying maxResults, so that a paging client is measured
# paging.
PAGED = {"DescribeImages": ("imageDetails", 1000)}


def capture(url, out_dir):
    """Writes each captured body to DIR/<X-Amz-Target>, and the pages of
    PAGED's operations to DIR/<X-Amz-Target>@<maxResults>@<nextToken>
    (the first page has an empty token; each page names the next)."""
    os.makedirs(out_dir, exist_ok=True)
    c = Client(url)
    for op, body in CAPTURED.items():
        payload = c.call(op, body)
        with open(os.path.join(out_dir, ECR + op), "wb") as f:
            f.write(payload)
        if op in PAGED:
            member, size = PAGED[op]
            items = json.loads(payload)[member]
            for start in range(0, len(items), size):
                page = {member: items[start : start + size]}
                if start + size < len(items):
                    page["nextToken"] = f"t{start + size}"
                token = f"t{start}" if start else ""
                with open(os.path.join(out_dir, f"{ECR}{op}@{size}@{token}"), "w") as f:
                    json.dump(page, f)


def rusage(out_json, runs, cmd):
    """CPU and peak RSS per run from bench/rusage.rs (wait4's rusage, in
    microseconds; GNU time's 10 ms steps are too coarse for rcr), whose
    path run.sh passes in RCR_BENCH_RUSAGE."""
    runner = os.environ["RCR_BENCH_RUSAGE"]
    out = subprocess.run([runner, str(runs), "--", *cmd], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines():
        wall, user, sys_, rss_kib, status = line.split()
        if int(status) != 0:
            raise SystemExit(f"{cmd[0]} exited with status {status} while measured")
        user, sys_ = float(user), float(sys_)
        rows.append({"wall": float(wall), "user": user, "sys": sys_, "cpu": user + sys_, "rss_kib": float(rss_kib)})
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    with open(out_json, "w") as f:
        json.dump({"command": cmd, "runs": rows, "median": med}, f, indent=1)


TOOLS = (("rcr", "rcr"), ("aws", "aws v1"), ("awsv2", "aws v2"), ("curl", "curl"))


def load(results_dir, case, tool):
    hf = os.path.join(results_dir, f"{case}.{tool}.hyperfine.json")
    ru = os.path.join(results_dir, f"{case}.{tool}.rusage.json")
    if not (os.path.exists(hf) and os.path.exists(ru)):
        return None
    h = json.load(open(hf))["results"][0]
    r = json.load(open(ru))
    return {
        "wall": h["median"],
        "cpu": r["median"]["cpu"],
        "rss": r["median"]["rss_kib"] / 1024.0,
        "runs": len(h["times"]),
        "rusage_runs": len(r["runs"]),
        "command": h["command"],
    }


def ms(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.2f} s"


def ratio(a, b):
    if not b or b <= 0:
        return ""
    r = a / b
    return f"{r:.3f} (1/{1 / r:.0f})" if 0 < r < 0.5 else f"{r:.2f}"


# (case ids, check, description): the targets of issues 7 and 12.
def targets(res):
    checks = []

    def get(case, tool):
        return res.get(case, {}).get(tool)

    for case in ("2", "2s"):
        rcr, aws, curl = get(case, "rcr"), get(case, "aws"), get(case, "curl")
        if rcr and aws:
            checks.append((f"case {case}: rcr wall <= 1/20 of aws v1", rcr["wall"] <= aws["wall"] / 20,
                           f"{rcr['wall'] / aws['wall']:.4f}"))
        if rcr and curl:
            checks.append((f"case {case}: rcr wall <= 1.3 x curl", rcr["wall"] <= 1.3 * curl["wall"],
                           f"{rcr['wall'] / curl['wall']:.2f}"))
    for case in ("1", "2", "2s"):
        rcr = get(case, "rcr")
        if rcr:
            checks.append((f"case {case}: rcr peak RSS <= 20 MiB", rcr["rss"] <= 20, f"{rcr['rss']:.1f} MiB"))
    for case in ("4j", "4js", "4t", "4x"):
        rcr, aws = get(case, "rcr"), get(case, "aws")
        if rcr and aws:
            checks.append((f"case {case}: rcr CPU <= 1/10 of aws v1", rcr["cpu"] <= aws["cpu"] / 10,
                           f"{rcr['cpu'] / aws['cpu']:.3f}"))
        if rcr:
            checks.append((f"case {case}: rcr peak RSS < 64 MiB", rcr["rss"] < 64, f"{rcr['rss']:.1f} MiB"))
    # Issue 12: CPU at most 1/15 of aws v1's in json, text and table; peak
    # RSS at most 32 MiB in json and text, 48 MiB in table.
    for case, rss_max in (("4j", 32), ("4js", 32), ("4x", 32), ("4t", 48)):
        rcr, aws = get(case, "rcr"), get(case, "aws")
        if rcr and aws:
            checks.append((f"case {case}: rcr CPU <= 1/15 of aws v1 (issue 12)", rcr["cpu"] <= aws["cpu"] / 15,
                           f"{rcr['cpu'] / aws['cpu']:.3f}"))
        if rcr:
            checks.append((f"case {case}: rcr peak RSS <= {rss_max} MiB (issue 12)", rcr["rss"] <= rss_max,
                           f"{rcr['rss']:.1f} MiB"))
    # Issue 14: `rcr image ls --limit 20` costs at most rcr's describe-images
    # over the same images (CPU), and its memory follows --limit, not the
    # repository: its peak RSS is nearer a single call's (case 2s) than
    # describe-images' (4js), and a larger limit holds more.
    ls, di, one, big = get("5l", "rcr"), get("4js", "rcr"), get("2s", "rcr"), get("5lk", "rcr")
    if ls and di:
        checks.append(("case 5l: rcr image ls --limit 20 CPU <= rcr describe-images CPU (4js)",
                       ls["cpu"] <= di["cpu"], f"{ms(ls['cpu'])} vs {ms(di['cpu'])}"))
    if ls and di and one:
        checks.append(("case 5l: rcr image ls --limit 20 peak RSS nearer a single call's (2s) than describe-images' (4js)",
                       ls["rss"] - one["rss"] < di["rss"] - ls["rss"],
                       f"{ls['rss']:.1f} MiB; 2s {one['rss']:.1f}, 4js {di['rss']:.1f}"))
    if ls and big:
        checks.append(("case 5lk: rcr image ls --limit 5000 peak RSS above --limit 20 (5l)",
                       big["rss"] > ls["rss"], f"{big['rss']:.1f} MiB vs {ls['rss']:.1f} MiB"))
    return checks


def report(results_dir, out_md):
    meta = {}
    with open(os.path.join(results_dir, "meta.txt")) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k] = v
    cases = []
    with open(os.path.join(results_dir, "cases.tsv")) as f:
        for line in f:
            if line.strip():
                cid, title = line.rstrip("\n").split("\t", 1)
                cases.append((cid, title))
    notes_path = os.path.join(results_dir, "notes.txt")
    notes = [l.rstrip("\n") for l in open(notes_path)] if os.path.exists(notes_path) else []

    lines = [
        "| case | server | tool | wall | user+sys CPU | peak RSS | rcr/aws wall | rcr/aws CPU | rcr/curl wall |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    commands = []
    res = {}
    for cid, title in cases:
        got = {t: load(results_dir, cid, t) for t, _ in TOOLS}
        res[cid] = got
        rcr = got["rcr"]
        what, _, server = title.partition(" @ ")
        for tool, name in TOOLS:
            r = got[tool]
            if r is None:
                continue
            ra = rc = rcu = ""
            if tool == "rcr" and got["aws"]:
                ra = ratio(rcr["wall"], got["aws"]["wall"])
                rc = ratio(rcr["cpu"], got["aws"]["cpu"]) if rcr["cpu"] > 0 else "< resolution"
            if tool == "rcr" and got["curl"]:
                rcu = ratio(rcr["wall"], got["curl"]["wall"])
            lines.append(
                f"| {cid} {what} | {server or '-'} | {name} | {ms(r['wall'])} | {ms(r['cpu'])} | "
                f"{r['rss']:.1f} MiB | {ra} | {rc} | {rcu} |"
            )
            commands.append(f"[{cid} {name}] {r['command']}")
    checks = targets(res)
    text = "\n".join(
        [
            f"## rcr benchmark, {meta.get('date', '?')}",
            "",
            f"- machine: {meta.get('machine', '?')}",
            f"- load average before / after: {meta.get('load_before', '?')} / {meta.get('load_after', '?')}",
            f"- rcr: `{meta.get('rcr_version', '?')}`, release binary {meta.get('binary_size', '?')}",
            f"- aws CLI v1: `{meta.get('aws_version', '?')}`; curl: `{meta.get('curl_version', '?')}`; "
            f"moto {meta.get('moto_version', '?')}",
            f"- wall: median of hyperfine ({meta.get('hyperfine', '?')}); CPU (user+sys) and peak RSS: median "
            f"of wait4 rusage (bench/rusage.rs) over {meta.get('rusage_runs', '?')} runs ({meta.get('heavy_runs', '?')} for case 4)",
            f"- reproduce: `{meta.get('command', 'bench/run.sh')}`",
            "",
            *lines,
            "",
            "Targets (issues 7, 12 and 14):",
            "",
            *[f"- {'PASS' if ok else 'FAIL'}: {name} ({value})" for name, ok, value in checks],
            "",
            *([f"Notes:", ""] + [f"- {n}" for n in notes] + [""] if notes else []),
            "Commands measured (environment: fake keys, AWS_EC2_METADATA_DISABLED=true, "
            "empty HOME, `cli_timestamp_format = iso8601`):",
            "",
            "```",
            *commands,
            "```",
            "",
        ]
    )
    with open(out_md, "w") as f:
        f.write(text)
    print(text)


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd = argv[1]
    if cmd == "seed":
        seed(argv[2], int(argv[3]))
    elif cmd == "capture":
        capture(argv[2], argv[3])
    elif cmd == "rusage":
        sep = argv.index("--")
        rusage(argv[2], int(argv[3]), argv[sep + 1 :])
    elif cmd == "report":
        report(argv[2], argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
