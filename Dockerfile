# One image for every process; the compose file picks the command (see Procfile).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional
COPY tsconfig.json ./
COPY src ./src
COPY test/fixtures/northwind ./test/fixtures/northwind
USER node
CMD ["node", "--import", "tsx", "src/api/main.ts"]
