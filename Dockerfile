# One image for every service: `jiceng serve <service>`, `jiceng follow <service>`,
# `jiceng migrate`. Built from the project's wheel by deploy/image/install.sh, the same script
# tests/e2e/test_wheel_install.py runs. Pin the base by digest in a release build:
#   docker build --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:<digest> .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY shared/ shared/
COPY services/ services/
COPY deploy/image/install.sh /usr/local/bin/jiceng-install
RUN sh /usr/local/bin/jiceng-install /src /opt/jiceng otel

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="jiceng" \
      org.opencontainers.image.description="Grassroots Party organisation work: four event-sourced services"
RUN groupadd --system --gid 10001 jiceng \
    && useradd --system --uid 10001 --gid jiceng --home-dir /tmp --no-create-home \
       --shell /usr/sbin/nologin jiceng
COPY --from=build /opt/jiceng /opt/jiceng
# Writes go to /tmp only (an emptyDir in the pods), so the root filesystem can be read-only.
ENV PATH=/opt/jiceng/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    JICENG_HOST=0.0.0.0 \
    JICENG_DATA_DIR=/tmp/jiceng
WORKDIR /tmp
USER 10001:10001
EXPOSE 8001 8002 8003 8004
ENTRYPOINT ["jiceng"]
CMD ["--help"]
