# syntax=docker/dockerfile:1
# The edge: Caddy with the built web app inside, serving it and proxying /api and /cp (the
# Caddyfile at the repository root). Built from the repository root, as compose does:
# docker build -f docker/web.Dockerfile .

# Build: `nuxt generate` into web/.output/public (static files and their compressed copies).
FROM node:24-bookworm-slim AS build
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

FROM caddy:2
# An unprivileged user; the image's caddy binary may bind ports 80 and 443 without root. The
# volumes compose mounts on /data (certificates) and /config start from these folders, theirs.
RUN addgroup -S -g 10001 nuell && adduser -S -u 10001 -G nuell -H nuell && chown -R 10001:10001 /data /config
COPY Caddyfile /etc/caddy/Caddyfile
COPY --from=build /app/web/.output/public /srv
USER 10001:10001
EXPOSE 80 443 443/udp
# Caddy's admin endpoint answers once the configuration is loaded.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://localhost:2019/config/"]
