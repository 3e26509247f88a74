#!/usr/bin/env bash
# Prepares everything the integration tests need, idempotently:
#   * a Python venv at <repo>/.venv-test (or $RCR_TEST_VENV) with moto_server
#     and the aws CLI v1, pinned by scripts/test-requirements.{txt,lock};
#   * the Debian packages later tests drive (podman, skopeo, docker-registry,
#     htpasswd, hyperfine, curl, and tmux, zsh, fish, elvish for the
#     completion tests), installed only when missing.
# A second run with everything present does no network I/O and takes well
# under a second: the venv carries a stamp of the requirement files it was
# built from and is only rebuilt when they change.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${RCR_TEST_VENV:-$repo/.venv-test}"
req="$repo/scripts/test-requirements.txt"
lock="$repo/scripts/test-requirements.lock"
python="${PYTHON:-python3}"

log() { printf '[setup-test-env] %s\n' "$*"; }
warn() { printf '[setup-test-env] WARNING: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- Debian ---
# Map each needed command to the package that provides it, so we only touch
# apt (slow, needs root) when something is actually missing.
declare -A apt_for=(
    [podman]=podman
    [skopeo]=skopeo
    [docker-registry]=docker-registry
    [htpasswd]=apache2-utils
    [hyperfine]=hyperfine
    [curl]=curl
    # The completion tests drive real shells in a pseudo-terminal.
    [tmux]=tmux
    [zsh]=zsh
    [fish]=fish
    [elvish]=elvish
    # The read-once test counts file opens; the TLS tests make certificates.
    [strace]=strace
    [openssl]=openssl
)
missing=()
for cmd in "${!apt_for[@]}"; do
    # docker-registry installs /usr/bin/docker-registry, which is not always on
    # a non-root PATH; check the file too.
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/bin/$cmd" ]; then
        missing+=("${apt_for[$cmd]}")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    log "Debian packages: all present"
else
    log "Debian packages missing: ${missing[*]}"
    # Failure here is only a warning: a developer without root can still run
    # every test that does not need these tools (those tests skip or fail on
    # their own with a clear message). CI runs as root, so there it works.
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo_cmd=(sudo -n)
        else
            sudo_cmd=(false)
        fi
    fi
    if "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        log "Debian packages installed: ${missing[*]}"
    else
        warn "could not install ${missing[*]} (not root?); tests needing them will not work"
    fi
fi

# ---------------------------------------------------------------- Python ---
# The stamp is the requirement files' content plus the interpreter version: a
# change to either rebuilds the venv from scratch, which is simpler and more
# reliable than trying to upgrade in place.
stamp_want="$(cat "$req" "$lock" 2>/dev/null; "$python" -c 'import sys; print(sys.version)')"
stamp_file="$venv/.rcr-setup-stamp"
if [ -x "$venv/bin/moto_server" ] && [ -x "$venv/bin/aws" ] \
    && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp_want" ]; then
    log "Python venv $venv: up to date"
else
    log "Python venv $venv: (re)creating"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    pip_args=(--disable-pip-version-check --no-input --quiet)
    if [ -f "$lock" ]; then
        # The lock pins every transitive dependency; used as constraints so the
        # top-level file stays the single place that says what we want.
        "$venv/bin/pip" install "${pip_args[@]}" -r "$req" -c "$lock"
    else
        "$venv/bin/pip" install "${pip_args[@]}" -r "$req"
    fi
    printf '%s' "$stamp_want" >"$stamp_file"
    log "Python venv ready: moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)'), $("$venv/bin/aws" --version 2>&1)"
fi

# ------------------------------------------------------------ aws CLI v2 ---
# The oracle for every byte rcr prints under `ecr` and `ecr-public`: the real
# aws CLI v2 (2.36.7), built from the source tarball in ../shared/oracle into
# its own venv (about three minutes once; a second run does nothing). Tests
# find it at $RCR_AWS_V2, else at the install script's default place.
oracle_install="${RCR_ORACLE_DIR:-$repo/../shared/oracle}/install-aws-v2.sh"
if [ -f "$oracle_install" ]; then
    aws_v2="$(bash "$oracle_install" | tail -n 1)"
    log "aws CLI v2 oracle: $aws_v2 ($("$aws_v2" --version 2>&1))"
else
    warn "$oracle_install not found: the aws v2 differential tests will fail"
fi
