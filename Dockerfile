# eISO application image: the web app (gunicorn), the Celery worker and beat all run from it.
#   docker build -t eiso:latest .        (or: docker compose build)
# Static files are collected at build time into /opt/eiso/static and served by the app (WhiteNoise).
# The process runs as the unprivileged user "eiso" (uid 10001); nothing in the image is writable by it except
# /var/lib/eiso (Celery beat's schedule; SQLite only if DATABASE_URL is unset).

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY eiso ./eiso
RUN python -m venv /opt/eiso/venv \
 && /opt/eiso/venv/bin/pip install --upgrade pip \
 && /opt/eiso/venv/bin/pip install .

FROM python:3.11-slim
# WeasyPrint (PDF receipts, processes, decisions) needs Pango and HarfBuzz; the PDFs ask for Times New Roman, whose
# metric-compatible stand-in is Liberation Serif (DejaVu as the fallback; both cover Vietnamese).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 eiso \
 && useradd --system --uid 10001 --gid eiso --home-dir /var/lib/eiso --no-create-home --shell /usr/sbin/nologin eiso

COPY --from=build /opt/eiso/venv /opt/eiso/venv
COPY deploy/gunicorn.conf.py /opt/eiso/gunicorn.conf.py

ENV PATH=/opt/eiso/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=eiso.settings \
    EISO_DATA_DIR=/var/lib/eiso \
    EISO_STATIC_ROOT=/opt/eiso/static \
    GUNICORN_BIND=0.0.0.0:8000

# collectstatic needs settings, not secrets: a throw-away key that exists only in this build step.
RUN mkdir -p /var/lib/eiso /opt/eiso/static \
 && EISO_SECRET_KEY=build-time-only-key-used-for-collectstatic-and-nothing-else-0123456789 \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 eiso collectstatic --noinput --verbosity 0 \
 && rm -f /tmp/build.sqlite3 \
 && chown -R eiso:eiso /var/lib/eiso

USER eiso
WORKDIR /var/lib/eiso
EXPOSE 8000
CMD ["gunicorn", "-c", "/opt/eiso/gunicorn.conf.py"]
