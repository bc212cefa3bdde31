# syntax=docker/dockerfile:1
# The spaces service, standalone (dist/main.js), as an image:
#   docker build -t spaces-service .
#   docker run -p 3000:3000 -v spaces-data:/data spaces-service
#
# `npm run container:check` runs this file's steps as a script (no Docker
# engine needed) and starts the result. It knows only the instructions used
# here and fails on any other: change this file and scripts/container-check.mjs
# together.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma prisma/
COPY scripts/prisma-generate.mjs scripts/service-package.mjs scripts/
# The lockfile's install without install scripts (the build needs none, and
# npm releases differ in which they run), then what `prepare` does: the Prisma
# client, generated into src/generated from the schema.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
RUN npm run generate
COPY tsconfig.json tsconfig.build.json ./
COPY client client/
COPY src src/
# dist/ includes the compiled Prisma client (dist/generated/prisma).
RUN npm run build
# The service's production dependencies: the package's own, and the framework
# the package leaves to its host (Nest, Fastify, Swagger, pino), which the
# standalone service brings itself.
RUN node scripts/service-package.mjs > service-package.json

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/service-package.json package.json
COPY package-lock.json ./
# --ignore-scripts: `prepare` needs the Prisma CLI, a build tool; the client it
# generates is already compiled into dist/.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist dist/
COPY prisma prisma/
# The embedded database, the generated token secret and admin token (unless
# given as TOKEN_SECRET and ADMIN_TOKEN). A new volume takes this directory's
# owner.
RUN mkdir -p /data && chown 1000:1000 /data
ENV DATA_DIR=/data HOST=0.0.0.0 PORT=3000 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
# The base image's `node` user, by number, so that a runtime can tell it is
# not root (Kubernetes' runAsNonRoot).
USER 1000:1000
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"
# The service stops on SIGTERM: no new connections, requests in flight finish
# (at most 10 s), the database closes, exit 0. Give `docker stop` more than
# that (-t 15).
STOPSIGNAL SIGTERM
# node itself as PID 1, with `npm start`'s memory settings (the allocator's
# above): no npm or shell in between to swallow the signal.
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=192", "dist/main.js"]
