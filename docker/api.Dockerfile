# syntax=docker/dockerfile:1
# The API image (also runs the one-shot migrations in docker-compose.yml). Built from the
# repository root, as compose does: docker build -f docker/api.Dockerfile .
# Nothing secret is baked in: every secret arrives as an environment variable at run time.
# It also carries the built web app: the API fills its page in for the public pages, and the edge
# image copies its files from here (docker/web.Dockerfile), so both hold one build. Two builds
# would not do: each names the app's files anew, and a page from one would load files the other
# does not have.

# The Rust toolchain, copied into the build stage below (both are Debian bookworm).
FROM rust:1-bookworm AS rust

# Build: every dependency, the Rust content engine compiled from source, the API compiled.
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
RUN npm ci --workspace @nuell/api --workspace @nuell/native --include-workspace-root --no-audit --no-fund
COPY native native
COPY api api
RUN npm run build --workspace @nuell/native && npm run build --workspace @nuell/api

# The web app: `nuxt generate` into web/.output/public (static files and their compressed copies).
FROM node:24-bookworm-slim AS web
# The npm that honours package.json's allowScripts (dependency install scripts are opt-in).
RUN npm install --global npm@11.19.1
WORKDIR /app
COPY package.json package-lock.json ./
COPY native/package.json native/
COPY api/package.json api/
COPY admin/package.json admin/
COPY web/package.json web/
RUN npm ci --workspace @nuell/web --no-audit --no-fund
COPY web web
# The editor's character counter shows the API's POST_MAX_CHARS, read at build time.
ARG POST_MAX_CHARS=40000
RUN npm run build --workspace @nuell/web

# Production dependencies only: no compiler, no test tools.
FROM node:24-bookworm-slim AS deps
RUN npm install --global npm@11.19.1
WORKDIR /app
COPY package.json package-lock.json ./
COPY native/package.json native/
COPY api/package.json api/
COPY admin/package.json admin/
COPY web/package.json web/
RUN npm ci --omit=dev --workspace @nuell/api --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX: the allocator settings of api/src/node-flags.ts (docs/performance.md).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3001 MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/native/package.json /app/native/index.js /app/native/binding.js native/
COPY --from=build /app/native/nuell-native.*.node native/
COPY --from=build /app/api/package.json api/
COPY --from=build /app/api/dist api/dist
# WEB_SHELL's default, web/.output/public/index.html, is this copy's page.
COPY --from=web /app/web/.output/public web/.output/public
COPY docker/healthcheck.mjs docker/
# The node image's unprivileged user (node, 1000); the files above stay root's, so the process
# cannot change them.
USER 1000:1000
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "docker/healthcheck.mjs", "api"]
# The heap settings of api/src/node-flags.ts (docs/performance.md).
CMD ["node", "--max-semi-space-size=2", "--max-old-space-size=256", "api/dist/main.js"]
