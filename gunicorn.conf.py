"""Gunicorn settings of the web service (docker-compose.yml and the Dockerfile use this file).

The access log leaves out query strings and the referrer: searches such as ``?q=<name>``
name the people being looked up, and a log is not the place for them.
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# The request line without its query string: method, path, protocol.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
