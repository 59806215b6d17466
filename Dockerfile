# PneumoniaPortal: build with the .NET SDK and Node (ApexCharts/SignalR browser assets), run on the ASP.NET runtime
# on Ubuntu 24.04, whose libstdc++ already has what TorchSharp needs (no native patch there).
#   docker build -t pneumonia-portal .                               # CPU
#   docker build -t pneumonia-portal:cuda --build-arg TORCH_BACKEND=cuda .   # NVIDIA GPUs (run with --gpus all)
#   docker run -p 8080:8080 -v portal-data:/data pneumonia-portal
ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TORCH_BACKEND
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files only, so code edits do not redo it.
COPY global.json Directory.Build.props Directory.Packages.props NuGet.Config* ./
COPY src/PneumoniaPortal.Core/PneumoniaPortal.Core.csproj src/PneumoniaPortal.Core/
COPY src/PneumoniaPortal.Imaging/PneumoniaPortal.Imaging.csproj src/PneumoniaPortal.Imaging/
COPY src/PneumoniaPortal.Training/PneumoniaPortal.Training.csproj src/PneumoniaPortal.Training/
COPY src/PneumoniaPortal.Web/PneumoniaPortal.Web.csproj src/PneumoniaPortal.Web/
RUN dotnet restore src/PneumoniaPortal.Web -p:TorchBackend=${TORCH_BACKEND}
COPY wwwroot-assets/package.json wwwroot-assets/package-lock.json wwwroot-assets/
RUN cd wwwroot-assets && npm ci --no-audit --no-fund --loglevel=error
COPY wwwroot-assets wwwroot-assets
COPY src src
RUN dotnet publish src/PneumoniaPortal.Web -c Release --no-restore -p:TorchBackend=${TORCH_BACKEND} -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl libgomp1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The image's non-root "app" user owns the data volume: database, imported data sets, runs, decode cache.
RUN mkdir -p /data && chown app:app /data
VOLUME /data
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Portal__DataDirectory=/data \
    Logging__Console__FormatterName=json
EXPOSE 8080
USER app
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "PneumoniaPortal.Web.dll"]
