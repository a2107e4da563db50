# Stand-in for chromadb/chroma:1.5.9: the same server from the chromadb package on PyPI
# (`chroma run`), at the version constraints.txt pins, on the Python stand-in. Same entrypoint
# (`chroma`), so the compose file's `run --host --port --path` command works unchanged; bash for
# its health check.
ARG PYTHON_IMAGE=localhost/standin-python:3.11
FROM ${PYTHON_IMAGE}
ARG CHROMADB_VERSION=1.5.9
RUN pip install --no-cache-dir "chromadb==${CHROMADB_VERSION}" && mkdir -p /chroma
VOLUME /chroma
EXPOSE 8000
ENTRYPOINT ["chroma"]
CMD ["run", "--host", "0.0.0.0", "--port", "8000", "--path", "/chroma"]
