FROM python:3.11-slim
WORKDIR /app
# procps: the Slack worker's health check looks for its process
RUN apt-get update && apt-get install -y --no-install-recommends procps \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY assistant assistant
COPY ingest ingest
COPY store store
COPY prompts prompts
COPY samples samples
COPY examples examples
RUN pip install --no-cache-dir '.[postgres]' \
    && useradd --create-home --uid 10001 assistant \
    && mkdir -p /data && chown assistant /data
# no root inside the container: the service only needs its data volume
USER assistant
ENV REVIEW_ASSISTANT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["review-assistant", "serve", "--host", "0.0.0.0", "--port", "8000"]
