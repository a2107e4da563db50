# The API and the Slack worker (docker-compose.yml builds it once for both).
# PYTHON_IMAGE: any image with Python 3.11, pip and useradd; the public one by default,
# deploy/standins/python.Dockerfile where the public registries cannot be reached.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}
WORKDIR /app
# procps: the Slack worker's health check looks for its process
RUN apt-get update && apt-get install -y --no-install-recommends procps \
    && rm -rf /var/lib/apt/lists/*
# The dependencies first, at the versions CI tests (constraints.txt), in a layer of their own:
# a change to the code rebuilds only the layers below this one.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgres']))" >/tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
COPY README.md ./
COPY assistant assistant
COPY ingest ingest
COPY store store
COPY prompts prompts
COPY samples samples
COPY examples examples
RUN pip install --no-cache-dir --no-deps -c constraints.txt '.[postgres]' \
    && useradd --create-home --uid 10001 assistant \
    && mkdir -p /data && chown assistant /data
# no root inside the container: the service only needs its data volume
USER assistant
ENV REVIEW_ASSISTANT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["review-assistant", "serve", "--host", "0.0.0.0", "--port", "8000"]
