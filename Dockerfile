# Aislecast engine image: HTTP + WebSocket server, MQTT ingest, scoring (docs/deploy.md).
#
#   docker build -t aislecast-engine .
#   docker run --rm -p 8080:8080 aislecast-engine          # zero-setup demo: embedded broker, in-memory stores
#
# Stages: deps (production node_modules) -> build (all deps, vite build of the displays, and the
# runtime file set) -> runtime (node_modules + that file set, non-root). Uses only classic
# Dockerfile features, so the legacy builder and BuildKit both build it.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- production dependencies --------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# .npmrc carries onnxruntime-node-install=skip and engine-strict=true. npm 10 (the one in the node:20
# image) would run dependency install scripts that npm 11 blocks; none is needed (docs/conventions.md
# §Toolchain notes), and onnxruntime-node's would try to download from outside the npm registry:
# --ignore-scripts, and ONNXRUNTIME_NODE_INSTALL=skip as a second guard. onnxruntime-node also
# bundles binaries for win32, darwin and every linux arch (288 MB): keep only this platform's, then
# check that it still loads.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force \
 && arch="$(node -p process.arch)" \
 && ort=node_modules/onnxruntime-node/bin/napi-v6 \
 && test -d "$ort/linux/$arch" \
 && find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} + \
 && find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} + \
 && node -e "import('onnxruntime-node').then((o) => console.log('onnxruntime-node', o.env.versions.node, 'loads'))"

# ---- build: displays, and the set of files the engine runs from ------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build:web
# /out is exactly what the runtime stage gets. The engine runs its TypeScript through tsx, so it
# needs the sources it imports: engine/, the gateways (the same image runs them: docs/gateways.md),
# the shared feature builder and candidate code in models/, the category map, and the bundled model versions. Optional paths are copied when present.
# Then fail here, not at start-up, if the engine imports a file that is not in /out: esbuild
# resolves every relative and #-import of the entry points against /out (packages stay external).
RUN set -eu; \
    mkdir -p /out/models/data /out/dist; \
    cp -r engine /out/engine; \
    cp -r gateways /out/gateways; \
    for p in models/features models/candidates models/artifacts; do \
      if [ -e "$p" ]; then cp -r "$p" /out/models/; fi; \
    done; \
    if [ -f models/data/categories.ts ]; then cp models/data/categories.ts /out/models/data/; fi; \
    cp -r dist/public /out/dist/public; \
    cp package.json tsconfig*.json /out/; \
    find /out -name '*.test.ts' -delete; \
    find /out/gateways \( -name conformance.ts -o -name testing.ts -o -name test-support.ts -o -name arbitraries.ts -o -name 'bench.ts' \) -delete; \
    find /out/gateways -type d -name fixtures -prune -exec rm -rf {} +; \
    for entry in engine/main.ts engine/profiles/import-cli.ts gateways/main.ts; do \
      if [ "$entry" = engine/main.ts ] || [ -f "/out/$entry" ]; then \
        (cd /out && /app/node_modules/.bin/esbuild "$entry" --bundle --platform=node --format=esm \
           --packages=external --log-level=warning --outfile=/dev/null) \
        || { echo "runtime file set is missing something $entry imports: add it to /out in the Dockerfile" >&2; exit 1; }; \
      fi; \
    done

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_update_notifier=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /out/ ./
# Files stay owned by root: the engine cannot change its own code. Anything it must write at run
# time (new model versions in AISLE_MODEL_DIR, say) belongs on a mounted volume. The one folder it
# writes itself is the journal of transactional events kept while Redis is unreachable
# (docs/delivery.md): mount a volume there so it survives the container.
RUN mkdir -p /data/journal && chown node:node /data/journal
ENV AISLE_JOURNAL_DIR=/data/journal
VOLUME ["/data/journal"]
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"]
CMD ["node", "--import", "tsx", "engine/main.ts"]
