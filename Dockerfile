FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# Install scripts of dependencies stay off except those approved in package.json (allowScripts).
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
EXPOSE 4000
# Migrations are applied on start; DATABASE_URL must be set (see docker-compose.yml).
CMD ["npx", "tsx", "src/cli/main.ts", "serve", "--sample"]
