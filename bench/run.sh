#!/usr/bin/env bash
# Benchmark rcr against the aws CLI v1 and v2 (the oracle, when installed) and
# curl --aws-sigv4, on one machine, against the same loopback endpoints:
#   moto_server (a real ECR implementation, seeded with a repository `one`
#   and a repository `big` of 10,000 images) and a canned stand-in
#   (bench/standin.rs, replaying moto's answers, so moto's own time does not
#   hide the client's).
# Wall time: hyperfine medians. CPU (user+sys) and peak RSS: medians of
# wait4's rusage (bench/rusage.rs). Writes bench/results-<date>.md and prints it.
#
# Usage: bench/run.sh [--quick] [--cold-build]
#   --quick       fewer runs and 1,000 images (a smoke test, not for the README)
#   --cold-build  also time a cold `cargo build --release` (a fresh target
#                 directory; 15+ minutes on 2 cores)
# Environment: RUNS (default 20), HEAVY_RUNS (case 4, default 10), IMAGES
# (default 10000), RCR_TEST_VENV (default <repo>/.venv-test), RCR_BIN (a
# release binary to measure instead of building one).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
quick=0
cold_build=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        --cold-build) cold_build=1 ;;
        *) echo "usage: bench/run.sh [--quick] [--cold-build]" >&2; exit 2 ;;
    esac
done
if [ "$quick" = 1 ]; then
    : "${RUNS:=5}" "${HEAVY_RUNS:=3}" "${IMAGES:=1000}"
fi
RUNS="${RUNS:-20}"
HEAVY_RUNS="${HEAVY_RUNS:-10}"
IMAGES="${IMAGES:-10000}"
WARMUP=3
venv="${RCR_TEST_VENV:-$repo/.venv-test}"
log() { printf '[bench] %s\n' "$*" >&2; }

# ------------------------------------------------------------------ tools ---
need_apt=()
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v rustc >/dev/null 2>&1 || { log "rustc/cargo are needed (https://rustup.rs)"; exit 1; }
if [ "${#need_apt[@]}" -gt 0 ]; then
    log "installing ${need_apt[*]} with apt"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ ! -x "$venv/bin/moto_server" ] || [ ! -x "$venv/bin/aws" ]; then
    log "creating the test venv (moto_server, aws CLI v1) with scripts/setup-test-env.sh"
    RCR_TEST_VENV="$venv" bash scripts/setup-test-env.sh
fi
py="$venv/bin/python"
aws1="$venv/bin/aws"
helper="$repo/bench/helper.py"

# aws v2: $RCR_AWS_V2, else the oracle scripts/setup-test-env.sh installs
# (../shared/oracle/install-aws-v2.sh's default place), else any aws on PATH
# that is v2 (the venv's v1 is named by full path).
aws2=""
while read -r candidate; do
    if [ -n "$candidate" ] && "$candidate" --version 2>&1 | grep -q '^aws-cli/2'; then
        aws2="$candidate"
        break
    fi
done < <(
    [ -z "${RCR_AWS_V2:-}" ] || echo "$RCR_AWS_V2"
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/rcr-oracle/aws-v2-2.36.7/bin/aws"
    type -P -a aws 2>/dev/null || true
)

work="$(mktemp -d /tmp/rcr-bench.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Built before HOME is replaced below: rustup finds its toolchains there.
# RCR_BIN measures a binary built beforehand instead (same sources, when a
# release build would take too long on a loaded machine).
if [ -n "${RCR_BIN:-}" ]; then
    log "measuring $RCR_BIN (not rebuilt); building the stand-in"
    rcr="$RCR_BIN"
else
    log "building rcr (release) and the stand-in"
    cargo build --release --quiet 2>"$work/cargo.log" || { cat "$work/cargo.log" >&2; exit 1; }
    rcr="$repo/target/release/rcr"
fi
rustc -O --edition 2021 -o "$work/standin" bench/standin.rs
rustc -O --edition 2024 -o "$work/rusage" bench/rusage.rs
export RCR_BENCH_RUSAGE="$work/rusage"
res="$work/results"
mkdir -p "$res" "$work/home"

# ------------------------------------------------------------ environment ---
# Fake keys, no profile files but our own, no metadata service, no proxies:
# every process talks to 127.0.0.1 only.
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
real_home="$HOME"
export HOME="$work/home"
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secretexample
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
# aws v1 prints the same bytes as v2 (and rcr) with ISO 8601 timestamps.
printf '[default]\ncli_timestamp_format = iso8601\n' >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

# ---------------------------------------------------------------- servers ---
port="$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log "starting moto_server on 127.0.0.1:$port"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do
    grep -q "Running on http://127.0.0.1:$port" "$work/moto.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "Running on http://127.0.0.1:$port" "$work/moto.log" || { cat "$work/moto.log" >&2; exit 1; }
moto="http://127.0.0.1:$port"

log "seeding moto: repository one, repository big with $IMAGES images (moto's put-image is O(n): ~2 min for 10,000)"
"$py" "$helper" seed "$moto" "$IMAGES"
"$py" "$helper" capture "$moto" "$work/canned"

log "starting the canned stand-in"
"$work/standin" "$work/canned" "$work/standin.port" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/standin.port" ] && break; sleep 0.05; done
standin="http://127.0.0.1:$(cat "$work/standin.port")"

# ---------------------------------------------------------------- measure ---
# Quotes a command for hyperfine's shell-words parser (-N: no shell).
quote() {
    local out="" a
    for a in "$@"; do
        if [[ "$a" =~ ^[A-Za-z0-9_./:=@,+-]+$ ]]; then
            out+="$a "
        else
            out+="'${a//\'/\'\\\'\'}' "
        fi
    done
    printf '%s' "${out% }"
}

cases_file="$res/cases.tsv"
notes_file="$res/notes.txt"
: >"$cases_file"
: >"$notes_file"
note() { printf '%s\n' "$*" >>"$notes_file"; }
add_case() { printf '%s\t%s\n' "$1" "$2" >>"$cases_file"; }

# measure CASE TOOL RUNS WARMUP -- CMD...
measure() {
    local case="$1" tool="$2" runs="$3" warmup="$4"
    shift 5
    log "case $case: $tool"
    if ! "$@" >/dev/null 2>"$work/err"; then
        log "case $case: $tool failed: $(head -c 300 "$work/err")"
        note "case $case: $tool failed, not measured: $(head -c 200 "$work/err" | tr '\n' ' ')"
        return 0
    fi
    hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
        --export-json "$res/$case.$tool.hyperfine.json" "$(quote "$@")" >>"$work/hyperfine.log" 2>&1
    "$py" "$helper" rusage "$res/$case.$tool.rusage.json" "$runs" -- "$@"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date +%s)"

ep_moto=(--endpoint-url "$moto")
ep_stand=(--endpoint-url "$standin")
curl_dr=(curl -sS --fail --aws-sigv4 "aws:amz:us-east-1:ecr" --user AKIDEXAMPLE:secretexample
    -H 'X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeRepositories'
    -H 'Content-Type: application/x-amz-json-1.1' -d '{"repositoryNames":["one"]}')

add_case 1 "--version @ -"
measure 1 rcr "$RUNS" "$WARMUP" -- "$rcr" --version
measure 1 aws "$RUNS" "$WARMUP" -- "$aws1" --version
[ -z "$aws2" ] || measure 1 awsv2 "$RUNS" "$WARMUP" -- "$aws2" --version

dr=(ecr describe-repositories --repository-names one)
for server in moto standin; do
    if [ "$server" = moto ]; then id=2; url="$moto"; ep=("${ep_moto[@]}"); else id=2s; url="$standin"; ep=("${ep_stand[@]}"); fi
    add_case "$id" "describe-repositories --repository-names one @ $server"
    measure "$id" rcr "$RUNS" "$WARMUP" -- "$rcr" "${dr[@]}" "${ep[@]}"
    measure "$id" aws "$RUNS" "$WARMUP" -- "$aws1" "${dr[@]}" "${ep[@]}"
    [ -z "$aws2" ] || measure "$id" awsv2 "$RUNS" "$WARMUP" -- "$aws2" "${dr[@]}" "${ep[@]}"
    measure "$id" curl "$RUNS" "$WARMUP" -- "${curl_dr[@]}" "$url/"
done
if cmp -s <("$rcr" "${dr[@]}" "${ep_moto[@]}") <("$aws1" "${dr[@]}" "${ep_moto[@]}"); then
    note "case 2: rcr and aws v1 print identical bytes"
else
    note "case 2: rcr and aws v1 output DIFFER"
fi

# get-login-password is a customization written on another branch; fall back
# to the call it makes when this rcr lacks it.
login=(ecr get-login-password)
if ! "$rcr" "${login[@]}" "${ep_stand[@]}" >/dev/null 2>&1; then
    login=(ecr get-authorization-token)
    note "case 3: this rcr has no get-login-password; both tools measured with get-authorization-token (the call it wraps)"
fi
add_case 3 "${login[*]} @ standin"
measure 3 rcr "$RUNS" "$WARMUP" -- "$rcr" "${login[@]}" "${ep_stand[@]}"
measure 3 aws "$RUNS" "$WARMUP" -- "$aws1" "${login[@]}" "${ep_stand[@]}"
[ -z "$aws2" ] || measure 3 awsv2 "$RUNS" "$WARMUP" -- "$aws2" "${login[@]}" "${ep_stand[@]}"

di=(ecr describe-images --repository-name big)
note "case 4: moto returns all $IMAGES images in one page (no nextToken), so every client makes one request of $(wc -c <"$work/canned/AmazonEC2ContainerRegistry_V20150921.DescribeImages") bytes"
add_case 4j "describe-images $IMAGES images, json @ moto"
measure 4j rcr "$HEAVY_RUNS" 1 -- "$rcr" "${di[@]}" --output json "${ep_moto[@]}"
measure 4j aws "$HEAVY_RUNS" 1 -- "$aws1" "${di[@]}" --output json "${ep_moto[@]}"
[ -z "$aws2" ] || measure 4j awsv2 "$HEAVY_RUNS" 1 -- "$aws2" "${di[@]}" --output json "${ep_moto[@]}"
add_case 4js "describe-images $IMAGES images, json @ standin"
measure 4js rcr "$HEAVY_RUNS" 1 -- "$rcr" "${di[@]}" --output json "${ep_stand[@]}"
measure 4js aws "$HEAVY_RUNS" 1 -- "$aws1" "${di[@]}" --output json "${ep_stand[@]}"
[ -z "$aws2" ] || measure 4js awsv2 "$HEAVY_RUNS" 1 -- "$aws2" "${di[@]}" --output json "${ep_stand[@]}"
if cmp -s <("$rcr" "${di[@]}" "${ep_stand[@]}") <("$aws1" "${di[@]}" "${ep_stand[@]}"); then
    note "case 4: rcr and aws v1 json output identical ($IMAGES images)"
else
    note "case 4: rcr and aws v1 json output DIFFER"
fi
if "$rcr" "${dr[@]}" --output table "${ep_stand[@]}" >/dev/null 2>&1; then
    add_case 4t "describe-images $IMAGES images, table @ standin"
    measure 4t rcr "$HEAVY_RUNS" 1 -- "$rcr" "${di[@]}" --output table "${ep_stand[@]}"
    measure 4t aws "$HEAVY_RUNS" 1 -- "$aws1" "${di[@]}" --output table "${ep_stand[@]}"
    [ -z "$aws2" ] || measure 4t awsv2 "$HEAVY_RUNS" 1 -- "$aws2" "${di[@]}" --output table "${ep_stand[@]}"
else
    note "case 4 table: --output table is not available in this rcr build; not measured"
fi
# Issue 4 asks every output format for at most 1/10 of aws v1's CPU.
add_case 4x "describe-images $IMAGES images, text @ standin"
measure 4x rcr "$HEAVY_RUNS" 1 -- "$rcr" "${di[@]}" --output text "${ep_stand[@]}"
measure 4x aws "$HEAVY_RUNS" 1 -- "$aws1" "${di[@]}" --output text "${ep_stand[@]}"
# rcr's own `image ls` (issue 14) over the same 10,000 images: newest first,
# only the best N kept while reading. It asks for pages of 1,000 and the
# stand-in serves them as ECR would (moto ignores maxResults), so memory
# follows --limit and the page size, not the repository: 5l against rcr's
# describe-images (case 4js) on CPU and peak RSS, 5lk with a limit of 5,000.
# 5a lists and sorts all of them.
add_case 5l "image ls big --limit 20, pages of 1,000 (target: CPU <= case 4js rcr, peak RSS near case 2s) @ standin"
measure 5l rcr "$HEAVY_RUNS" 1 -- "$rcr" image ls big --limit 20 "${ep_stand[@]}"
add_case 5lk "image ls big --limit 5000, pages of 1,000 (target: peak RSS above case 5l) @ standin"
measure 5lk rcr "$HEAVY_RUNS" 1 -- "$rcr" image ls big --limit 5000 "${ep_stand[@]}"
add_case 5a "image ls big, all $IMAGES images sorted @ standin"
measure 5a rcr "$HEAVY_RUNS" 1 -- "$rcr" image ls big "${ep_stand[@]}"
if cmp -s <("$rcr" image ls big --limit 20 --query 'imageDetails[].imageDigest' "${ep_stand[@]}") \
          <("$rcr" image ls big --query 'imageDetails[:20].imageDigest' "${ep_stand[@]}"); then
    note "case 5: image ls --limit 20 prints the first 20 of the full sorted listing"
else
    note "case 5: image ls --limit 20 and the full listing's first 20 DIFFER"
fi
[ -n "$aws2" ] || note "no aws v2 on PATH: not compared"

# ------------------------------------------------------------------ report ---
cold=""
if [ "$cold_build" = 1 ]; then
    log "cold cargo build --release (fresh target directory)"
    t0="$(date +%s)"
    HOME="$real_home" CARGO_TARGET_DIR="$work/cold-target" cargo build --release --locked --quiet 2>/dev/null
    cold="$(( $(date +%s) - t0 )) s"
    note "cold \`cargo build --release\` ($(nproc) jobs, fresh CARGO_TARGET_DIR, crates already downloaded): $cold"
fi

date_tag="$(date +%Y-%m-%d)"
{
    echo "date=$(date -u +'%Y-%m-%d %H:%M UTC')"
    echo "machine=$(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
    echo "load_before=$load_before"
    echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg) (the run took $(( $(date +%s) - started )) s)"
    echo "rcr_version=$("$rcr" --version)"
    echo "binary_size=$(stat -c %s "$rcr" | awk '{printf "%.1f MiB (%d bytes)", $1/1048576, $1}')"
    echo "aws_version=$("$aws1" --version 2>&1)$([ -z "$aws2" ] || echo "; aws v2: $("$aws2" --version 2>&1)")"
    echo "curl_version=$(curl --version | head -1 | cut -d' ' -f1-2)"
    echo "moto_version=$("$py" -c 'import moto; print(moto.__version__)')"
    echo "hyperfine=$(hyperfine --version), -N, --warmup $WARMUP, $RUNS runs; case 4: --warmup 1, $HEAVY_RUNS runs"
    echo "rusage_runs=$RUNS"
    echo "heavy_runs=$HEAVY_RUNS"
    echo "command=${RCR_BIN:+RCR_BIN=<binary of this commit> }bench/run.sh $*"
} >"$res/meta.txt"
out="$repo/bench/results-$date_tag.md"
[ "$quick" = 0 ] || out="$work/results-quick.md"
"$py" "$helper" report "$res" "$out"
if [ "$quick" = 0 ]; then
    # A second run the same day replaces the first one's raw data whole
    # (a case it no longer has must not stay behind).
    rm -rf "$repo/bench/raw-$date_tag"
    mkdir -p "$repo/bench/raw-$date_tag"
    cp "$res"/*.json "$res"/*.txt "$res"/*.tsv "$repo/bench/raw-$date_tag/"
    log "written $out (raw data in bench/raw-$date_tag/)"
fi
