# Stand-in for nginx:1.27-alpine, from the local Debian base: Debian bookworm's nginx (1.22),
# reading /etc/nginx/conf.d/*.conf as the official image does (deploy/nginx.conf is mounted
# there), logging to the container's output, with wget for the compose file's health check.
ARG BASE_IMAGE=localhost/debian-base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx-light wget \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 8000
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
