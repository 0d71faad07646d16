# syntax=docker/dockerfile:1
# The image that docker-compose.yml runs as web, worker and beat.

# The build context is the working tree: strip what must never be shipped
# (a developer's venv, the demo database, caches) before the final stage
# copies the source.
FROM python:3.11-slim AS source
COPY . /src
RUN rm -rf /src/.venv /src/data /src/.git /src/build /src/*.egg-info \
        /src/.pytest_cache /src/.ruff_cache /src/.hypothesis /src/screenshots \
    && find /src -name __pycache__ -prune -exec rm -rf {} +

FROM python:3.11-slim

# PYTHONPATH: the code runs from /app, where templates/, static/ and
# forms_mau/ sit beside the packages (settings.BASE_DIR), not from the copy
# pip puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    SOTHULY_DATA_DIR=/var/lib/sothuly

# WeasyPrint's Pango and HarfBuzz, and Liberation fonts with every
# Vietnamese letter (the old fonts-liberation lacks some).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-liberation2 libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
        poppler-utils \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=source /src /app

# gunicorn is the deployment's HTTP server, not a dependency of the project,
# so the image brings it: pyproject.toml lists what the code itself needs.
RUN pip install . gunicorn==23.0.0 \
    && rm -rf build ./*.egg-info \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin sothuly \
    && mkdir -p /var/lib/sothuly \
    && chown sothuly /var/lib/sothuly

USER sothuly
EXPOSE 8000
CMD ["gunicorn", "sothuly.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
