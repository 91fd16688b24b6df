# syntax=docker/dockerfile:1
# The edge: Caddy with the built web app inside, serving it and proxying /api, /cp and the
# site's public pages (the Caddyfile at the repository root). Built from the repository root, as
# compose does (below: the API image comes first).

# The built web app, from the API image, which builds it (docker/api.Dockerfile says why):
# compose passes that image as this stage (additional_contexts in docker-compose.yml). Built by
# hand, pass it too, or the COPY below finds nothing:
#   docker build -f docker/web.Dockerfile --build-context api=docker-image://nuell-api .
FROM scratch AS api

FROM caddy:2
# An unprivileged user; the image's caddy binary may bind ports 80 and 443 without root. The
# volumes compose mounts on /data (certificates) and /config start from these folders, theirs.
RUN addgroup -S -g 10001 nuell && adduser -S -u 10001 -G nuell -H nuell && chown -R 10001:10001 /data /config
COPY Caddyfile /etc/caddy/Caddyfile
COPY --from=api /app/web/.output/public /srv
USER 10001:10001
EXPOSE 80 443 443/udp
# Caddy's admin endpoint answers once the configuration is loaded.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://localhost:2019/config/"]
