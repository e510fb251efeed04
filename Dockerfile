# swx on Node, compiled (README "Container"): `docker build -t swx .`, then run with a volume on /data.
# Both stages are the same Node on the same Debian release, so better-sqlite3's native module, compiled from source in
# the build stage, loads in the runtime stage. BUILD_IMAGE and RUNTIME_IMAGE may name a mirror's copy of these images.
ARG BUILD_IMAGE=node:20.20.2-bookworm
ARG RUNTIME_IMAGE=node:20.20.2-bookworm-slim

# Build: the full image already has python3, make, g++ and Node's headers (/usr/local/include/node), so nothing but
# npm packages is downloaded. `npm run build` needs only production dependencies (tsx, esbuild), so the dev ones are
# never installed.
FROM ${BUILD_IMAGE} AS build
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: the compiled JavaScript (dist/, with the SQL migrations and JSON data beside the modules), the production
# node_modules (swagger-ui-dist included, for /docs), the partner files, and the TypeScript sources and schemas the
# `swx` CLI runs through tsx (`docker exec <container> swx keys create …` works on /data).
FROM ${RUNTIME_IMAGE}
ENV NODE_ENV=production \
    SWX_HOST=0.0.0.0 \
    PORT=8080 \
    SWX_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json package.json
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/partners partners
COPY --from=build /app/src src
COPY --from=build /app/message-schemas message-schemas
RUN ln -s /app/src/cli/swx.js /usr/local/bin/swx && mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# On HTTPS (SWX_TLS_CERT) the check calls 127.0.0.1, which the certificate need not name: it does not verify it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; fetch(`${process.env.SWX_TLS_CERT ? 'https' : 'http'}://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap flags are npm start's (README, Performance): a smaller young generation keeps resident memory under 300 MB.
CMD ["node", "--enable-source-maps", "--max-old-space-size=384", "--max-semi-space-size=16", "dist/src/runtime/node.js"]
