"""Gunicorn settings of the web service (docker-compose.yml and the Dockerfile use this file).

The access log leaves out query strings and the referrer: searches such as ``?q=<name>``
name the people being looked up, and a log is not the place for them.

Bulk exports stream for minutes. Sync workers are killed after ``timeout`` seconds (30 by
default) in the middle of any request, which cut every long export; threaded workers
(gthread) keep their heartbeat while a thread streams, so ``timeout`` only catches a hung
worker process, and a slow export does not block the other requests of its worker.
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = 4
timeout = 120
accesslog = "-"
# The request line without its query string: method, path, protocol.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
