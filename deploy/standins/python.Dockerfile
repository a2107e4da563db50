# Stand-in for python:3.11-slim, from the local Debian base (deploy/compose_smoke.sh builds
# localhost/debian-base:bookworm with mmdebstrap): Debian bookworm's Python 3.11 with `python`,
# `pip` and `useradd` where the official image has them, and pip allowed to install system-wide
# as it is there (the official image has no EXTERNALLY-MANAGED marker).
ARG BASE_IMAGE=localhost/debian-base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        python3 python3-pip python3-venv python-is-python3 passwd \
    && rm -rf /var/lib/apt/lists/* \
    && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \
    && ln -sf /usr/bin/python3 /usr/local/bin/python3.11
CMD ["python3"]
