#!/usr/bin/env bash
# Finds or builds the Pulumi CLI the end-to-end tests run, and prints the directory that
# holds its `pulumi` binary as the last line on stdout (progress goes to stderr).
#
# The CLI is the version go.mod pins, which must be the @pulumi/pulumi SDK that dcp ships
# (package-lock.json) or newer.
# No release binaries can be downloaded on our machines, so it is built from its Go module
# (the wrapper module next to this script) and cached outside the repo, keyed on its version:
# a cold build takes 10-20 minutes and about 1 GB of module downloads.
#
# Environment:
#   DCP_ENGINE_CACHE  where built CLIs are kept (default ${XDG_CACHE_HOME:-~/.cache}/dcp/engine)
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd)
repo_root=$(cd -- "$script_dir/../../.." && pwd)

log() { echo "build-engine: $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v node >/dev/null || die "node is not on PATH (needed to read package-lock.json)"
sdk_version=$(node -e '
  const lock = require(process.argv[1]);
  const pkg = lock.packages && lock.packages["node_modules/@pulumi/pulumi"];
  if (!pkg || !pkg.version) { console.error("no @pulumi/pulumi in " + process.argv[1]); process.exit(1); }
  console.log(pkg.version);
' "$repo_root/package-lock.json") || die "cannot read the @pulumi/pulumi version from package-lock.json"
sdk="v$sdk_version"

# at_least A B: is version A >= version B (both vX.Y.Z)?
at_least() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# The wrapper pins pkg/v3 and sdk/v3 at one version, the CLI we build. It may be newer than
# the SDK (the Go proxy does not serve every release of pkg/v3), never older: dcp would then
# be tested against an engine older than the one its SDK asks for.
pinned_of() {
  awk -v m="$1" '($1 == m) || ($1 == "require" && $2 == m) { print ($1 == m) ? $2 : $3 }' "$script_dir/go.mod"
}
want=$(pinned_of github.com/pulumi/pulumi/pkg/v3)
sdk_pinned=$(pinned_of github.com/pulumi/pulumi/sdk/v3)
[[ -n "$want" && "$sdk_pinned" == "$want" ]] || die "$script_dir/go.mod must pin github.com/pulumi/pulumi/pkg/v3 and sdk/v3 at one version (it has ${want:-nothing} and ${sdk_pinned:-nothing})"
at_least "$want" "$sdk" || die "$script_dir/go.mod pins the Pulumi CLI $want but package-lock.json has @pulumi/pulumi $sdk_version; update go.mod: (cd $script_dir && go get github.com/pulumi/pulumi/pkg/v3@$sdk github.com/pulumi/pulumi/sdk/v3@$sdk && go mod tidy), or a newer version the Go proxy serves"

# version_of BIN prints what `BIN version` reports, or nothing if it does not run.
version_of() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

if on_path=$(command -v pulumi); then
  have=$(version_of "$on_path")
  if [[ "$have" == v3.* ]] && at_least "$have" "$want"; then
    log "using $on_path ($have >= $want)"
    dirname -- "$on_path"
    exit 0
  fi
  log "ignoring $on_path: it reports '${have:-nothing}', need $want or newer"
fi

cache_root=${DCP_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dcp/engine}
dest_dir="$cache_root/pulumi-$want"
dest="$dest_dir/pulumi"

if [[ -x "$dest" && "$(version_of "$dest")" == "$want" ]]; then
  log "using cached $dest"
  echo "$dest_dir"
  exit 0
fi

command -v go >/dev/null || die "Go is not on PATH and no cached Pulumi CLI $want is at $dest; install Go (the version of go.mod's go line) or put a pulumi >= $want on PATH"

mkdir -p "$dest_dir"
# Build next to the destination and rename, so an interrupted build never leaves a broken
# binary where the next run would take it for a finished one.
# An interrupted script also stops the build, or `go build` would write the temp file after
# we removed it.
tmp=$(mktemp "$dest_dir/.pulumi.XXXXXX")
build_pid=""
cleanup() {
  if [[ -n "$build_pid" ]]; then kill "$build_pid" 2>/dev/null || true; wait "$build_pid" 2>/dev/null || true; fi
  rm -f "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "building Pulumi CLI $want into $dest (cold: 10-20 min, ~1 GB of modules; cached afterwards)"
start=$SECONDS
# The flags of the official release builds (.goreleaser.yml in pulumi/pulumi). The version
# stamp matters: the Automation API refuses a CLI whose `pulumi version` it cannot parse.
cd "$script_dir"
CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
  -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2 &
build_pid=$!
wait "$build_pid" || die "go build of the Pulumi CLI $want failed"
build_pid=""

built=$(version_of "$tmp")
[[ "$built" == "$want" ]] || die "the freshly built CLI reports '${built:-nothing}', expected $want"
mv -f "$tmp" "$dest"
log "built $dest in $((SECONDS - start))s"
echo "$dest_dir"
