FROM python:3.12-slim-bookworm

# WeasyPrint needs Pango; fonts with Danish letters for the PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 app && mkdir -p /var/lib/celery && chown app /var/lib/celery
USER app
EXPOSE 8000
CMD ["gunicorn", "ledelse.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
