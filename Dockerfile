# The production image of Samenwerkingsportaal: one image for every role
# (web, worker, beat, migrate); docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

# STATIC_MANIFEST: the image serves the hashed, compressed files collectstatic makes below.
# WEB_CONCURRENCY is gunicorn's worker count. In a container os.cpu_count() sees the
# host's cores, so a fixed small number beats the (2 x cores + 1) rule; override per host.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    STATIC_MANIFEST=true \
    WEB_CONCURRENCY=3

# A fixed uid, so volume ownership is predictable across rebuilds. /var/lib/portal is
# the only place it writes (the beat schedule, a volume); the code stays root-owned.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin portal \
    && install -d -o portal -g portal /var/lib/portal

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. All are wheels
# (psycopg-binary included), so the image needs no compiler.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .

# Translations: locale/ holds committed .mo files, because the slim image has no
# gettext; a base image that does have msgfmt recompiles them from the .po files.
# Static files: hashed and compressed once, at build time, read-only at run time.
RUN if command -v msgfmt >/dev/null 2>&1; then python manage.py compilemessages; fi \
    && python manage.py collectstatic --noinput \
    && python -m compileall -q /app

USER portal

EXPOSE 8000

# Liveness only (/healthz touches no database). docker-compose.yml replaces it per
# service: web checks /readyz, worker pings itself, beat and migrate have none.
# Django refuses Host headers outside ALLOWED_HOSTS, so the probe sends the first one.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4)"]

# --worker-tmp-dir: the worker heartbeat file on tmpfs, not the overlay filesystem.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", "--timeout", "30", "--graceful-timeout", "30"]
