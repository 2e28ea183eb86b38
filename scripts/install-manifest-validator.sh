#!/usr/bin/env bash
# Installs the Kubernetes manifest validator's packages into .tools/manifest-validator from the
# npm registry: kubernetes-models (the Kubernetes API's JSON schemas with an ajv validator),
# the prometheus-operator and cert-manager models for the chart's custom resources, and yaml.
# Versions are pinned so every machine validates against the same schemas; nothing is fetched
# at validation time.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.tools/manifest-validator
packages=(kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 @kubernetes-models/cert-manager@6.0.0 yaml@2.9.1)
stamp="$dest/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${packages[*]}" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-manifest-validator: npm is required" >&2; exit 1; }
mkdir -p "$dest"
[ -f "$dest/package.json" ] || echo '{"private": true}' > "$dest/package.json"
# The models declare node >=22 but run on the node 20 here; --engine-strict=false keeps npm quiet about it.
npm install --prefix "$dest" --no-audit --no-fund --loglevel=error --engine-strict=false "${packages[@]}"
echo "${packages[*]}" > "$stamp"
