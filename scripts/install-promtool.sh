#!/usr/bin/env bash
# Makes promtool available for `make chart-rules-test`: Debian's prometheus package ships it
# (/usr/bin/promtool). Needs root for apt-get, as CI and the developers' machines have; the
# Prometheus server the package also installs is not started here.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
command -v apt-get >/dev/null || { echo "install-promtool: apt-get is required (or put promtool on PATH)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d 101: do not start the Prometheus service the package installs.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
promtool --version 2>&1 | sed -n 1p
