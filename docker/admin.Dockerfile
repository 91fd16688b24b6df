# syntax=docker/dockerfile:1
# The control panel's image (AdminJS at /cp). Built from the repository root, as compose does:
# docker build -f docker/admin.Dockerfile .
# Nothing secret is baked in: every secret arrives as an environment variable at run time.

# The Rust toolchain, copied into the build stage below (both are Debian bookworm).
FROM rust:1-bookworm AS rust

# Build: the content engine from source, the API the panel runs on, the panel and its prebuilt
# browser bundles (admin/.adminjs/assets).
FROM node:24-bookworm AS build
COPY --from=rust /usr/local/cargo /usr/local/cargo
COPY --from=rust /usr/local/rustup /usr/local/rustup
ENV CARGO_HOME=/usr/local/cargo RUSTUP_HOME=/usr/local/rustup PATH=/usr/local/cargo/bin:$PATH
# The npm that honours package.json's allowScripts (dependency install scripts are opt-in).
RUN npm install --global npm@11.19.1
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY native/package.json native/
COPY api/package.json api/
COPY admin/package.json admin/
COPY web/package.json web/
RUN npm ci --workspace @nuell/admin --workspace @nuell/api --workspace @nuell/native --include-workspace-root --no-audit --no-fund
COPY native native
COPY api api
COPY admin admin
RUN npm run build --workspace @nuell/native && npm run build --workspace @nuell/api \
  && npm run build --workspace @nuell/admin

# Production dependencies only: no compiler, no test tools.
FROM node:24-bookworm-slim AS deps
RUN npm install --global npm@11.19.1
WORKDIR /app
COPY package.json package-lock.json ./
COPY native/package.json native/
COPY api/package.json api/
COPY admin/package.json admin/
COPY web/package.json web/
RUN npm ci --omit=dev --workspace @nuell/admin --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 ADMIN_PORT=3002
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/native/package.json /app/native/index.js /app/native/binding.js native/
COPY --from=build /app/native/nuell-native.*.node native/
COPY --from=build /app/api/package.json api/
COPY --from=build /app/api/dist api/dist
COPY --from=build /app/admin/package.json admin/
COPY --from=build /app/admin/components admin/components
COPY --from=build /app/admin/dist admin/dist
COPY --from=build /app/admin/.adminjs/assets admin/.adminjs/assets
COPY docker/healthcheck.mjs docker/
# The node image's unprivileged user (node, 1000); the files above stay root's, so the process
# cannot change them.
USER 1000:1000
EXPOSE 3002
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "docker/healthcheck.mjs", "admin"]
# The heap settings of admin/src/node-flags.ts (docs/performance.md).
CMD ["node", "--max-semi-space-size=2", "--max-old-space-size=192", "admin/dist/main.js"]
