#!/usr/bin/env bash
# On a CUDA machine: runs the learned scorer's inference benchmark with the CUDA execution
# provider and prints which provider actually ran, then the GPU-package tests expecting CUDA.
# Needs a built tree (make build; the benchmark references the ONNX Runtime GPU package) and
# models/policy.onnx (make models). Without a GPU it says so and measures the CPU fallback.
#   scripts/gpu-check.sh [--nodes 5000] [--requests 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-Release}
model=${MODEL:-models/policy.onnx}
[ -f "$model" ] || { echo "gpu-check: $model is missing (run make models)" >&2; exit 2; }

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu-check: GPUs:"; nvidia-smi -L
  provider=cuda
else
  echo "gpu-check: no NVIDIA GPU visible; measuring the CPU fallback (provider auto)"
  provider=auto
fi

set +e
dotnet run -c "$CONFIG" --no-build --project bench/Lepton.Benchmarks -- models \
  --model "$model" --provider "$provider" --nodes 5000 --requests 1000 --repetitions 5 "$@" | tee /tmp/lepton-gpu-check.txt
bench=${PIPESTATUS[0]}
set -e
ran=$(sed -n 's/.*execution provider \([a-z]*\).*/\1/p' /tmp/lepton-gpu-check.txt | head -1)
echo "gpu-check: execution provider that ran: ${ran:-unknown} (requested $provider); benchmark exit $bench (0 = p99 within 1.5 ms)"

if [ "$provider" = cuda ]; then
  LEPTON_EXPECT_CUDA=1 dotnet test tests/Lepton.Models.GpuPackage.Tests -c "$CONFIG" --no-build
fi
[ "$provider" != cuda ] || [ "$ran" = cuda ] || { echo "gpu-check: CUDA was requested but did not run" >&2; exit 1; }
