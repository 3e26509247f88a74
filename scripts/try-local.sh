#!/usr/bin/env bash
# Try rcr for real with no AWS account: builds rcr, starts a local ECR
# endpoint (moto_server from PyPI, on 127.0.0.1), creates a repository,
# pushes a manifest with put-image, describes it, and stops the server.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
venv="${RCR_TEST_VENV:-$repo/.venv-test}"

if [ ! -x "$venv/bin/moto_server" ]; then
    echo "== installing moto_server into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
fi

# A debug build is ready in a few minutes on a fresh machine; set
# RCR_RELEASE=1 for the optimized binary (slower to build, as benchmarked).
if [ "${RCR_RELEASE:-0}" = 1 ]; then
    echo "== building rcr (release)"
    cargo build --release --quiet
    rcr="$repo/target/release/rcr"
else
    echo "== building rcr (debug; RCR_RELEASE=1 for release)"
    cargo build --quiet
    rcr="$repo/target/debug/rcr"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

# Fake credentials: moto accepts any. Never reach for instance metadata.
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secretexample
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
endpoint=(--endpoint-url "http://127.0.0.1:$port")
manifest='{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}'

set -x
"$rcr" ecr create-repository --repository-name demo/app "${endpoint[@]}"
"$rcr" ecr put-image --repository-name demo/app --image-tag v1 --image-manifest "$manifest" "${endpoint[@]}"
"$rcr" ecr describe-images --repository-name demo/app "${endpoint[@]}"
"$rcr" ecr describe-repositories --repository-names does/not-exist "${endpoint[@]}" || echo "exit code $? (254: a service error, as aws v2)"
