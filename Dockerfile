# syntax=docker/dockerfile:1.7
# Lepton: one image running `lepton serve` (extender + operator).
#
#   docker build -t lepton:dev .                          # CPU image (ASP.NET runtime base)
#   docker build -t lepton:dev-cuda --target cuda .       # CUDA image for the learned scorer on GPUs
#
# The CUDA target starts from NVIDIA's CUDA runtime + cuDNN base (ONNX Runtime 1.31's CUDA
# provider links libcudart/libcublas/libcublasLt .so.13, i.e. CUDA 13 — `readelf -d
# libonnxruntime_providers_cuda.so` — and loads cuDNN 9) and adds the ASP.NET Core runtime copied from
# Microsoft's image. Override the bases with --build-arg CUDA_BASE=... / DOTNET_VERSION=....
ARG DOTNET_VERSION=10.0
ARG CUDA_BASE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore first, from the project files only, so the layer caches across source edits.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY eng/ eng/
COPY src/Lepton.Scheduling/Lepton.Scheduling.csproj src/Lepton.Scheduling/
COPY src/Lepton.Kubernetes/Lepton.Kubernetes.csproj src/Lepton.Kubernetes/
COPY src/Lepton.Extender/Lepton.Extender.csproj src/Lepton.Extender/
COPY src/Lepton.Simulator/Lepton.Simulator.csproj src/Lepton.Simulator/
COPY src/Lepton.Operator/Lepton.Operator.csproj src/Lepton.Operator/
COPY src/Lepton.Models/Lepton.Models.csproj src/Lepton.Models/
COPY src/Lepton.Models.Training/Lepton.Models.Training.csproj src/Lepton.Models.Training/
COPY src/Lepton.Cli/Lepton.Cli.csproj src/Lepton.Cli/
RUN dotnet restore src/Lepton.Cli/Lepton.Cli.csproj
COPY src/ src/
# The default policy and predictor networks ship beside the executable (models/*.onnx).
COPY models/ models/
RUN dotnet publish src/Lepton.Cli/Lepton.Cli.csproj -c Release --no-restore -o /app \
    && rm -f /app/*.pdb

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build /app ./
# 65532 is the conventional non-root "nonroot" UID; the chart runs with the same.
USER 65532:65532
# 8888: the extender verbs (mutual TLS in the chart); 9090: /metrics, /healthz, /readyz (plain HTTP).
EXPOSE 8888 9090
ENV ASPNETCORE_URLS= DOTNET_gcServer=1 DOTNET_EnableDiagnostics=0
ENTRYPOINT ["/app/lepton"]
CMD ["serve", "--in-cluster"]

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS aspnet
FROM ${CUDA_BASE} AS cuda
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libicu74 libssl3t64 zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=build /app ./
USER 65532:65532
# 8888: the extender verbs (mutual TLS in the chart); 9090: /metrics, /healthz, /readyz (plain HTTP).
EXPOSE 8888 9090
ENV DOTNET_gcServer=1 DOTNET_EnableDiagnostics=0
ENTRYPOINT ["/app/lepton"]
CMD ["serve", "--in-cluster"]

# The default target is the CPU image.
FROM runtime
