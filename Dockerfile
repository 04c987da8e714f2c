# One image for web, worker and beat; docker-compose.yml picks the command of each.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --create-home --uid 1000 tracker

COPY . .
RUN pip install . \
    && TRACKER_ENV=production DEBUG=false \
       SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       FIELD_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
       python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R tracker /app/var

USER tracker
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi:application", "--config", "gunicorn.conf.py"]
