# A slim image that serves coopkg; the store lives on a volume and the process runs as a non-root user.
# The pages' third-party assets, from the pinned npm packages (assets/package-lock.json).
FROM node:20-slim AS assets
WORKDIR /src/assets
COPY assets/package.json assets/package-lock.json assets/build.mjs ./
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=peer && node build.mjs

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY src ./src
COPY --from=assets /src/src/coopkg/web/static/vendor ./src/coopkg/web/static/vendor
COPY ontology ./ontology
COPY shapes ./shapes
COPY queries ./queries
COPY data/reference ./data/reference
RUN pip install --no-cache-dir --prefix=/install -c constraints.txt .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COOPKG_STORE=/var/lib/coopkg/store \
    COOPKG_CORPUS=/opt/coopkg/corpus
COPY --from=build /install /usr/local
COPY data/corpus /opt/coopkg/corpus
# jemalloc: the workers preload it (COOPKG_ALLOCATOR=auto), the engine's queries run faster with it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2=5.3.0-1 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 coopkg \
    && useradd --create-home --uid 10001 --gid 10001 coopkg \
    && mkdir -p /var/lib/coopkg \
    && chown 10001:10001 /var/lib/coopkg
VOLUME ["/var/lib/coopkg"]
USER 10001:10001
WORKDIR /home/coopkg
EXPOSE 8000
ENTRYPOINT ["coopkg"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
