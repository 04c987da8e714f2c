import gc
import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

# Serve nothing with encryption keys that are invalid or cannot read the stored values:
# new confidential notes would be written under a key nobody can read them with later.
key_errors = [e for e in checks.run_checks(tags=["encryption"]) if e.is_serious()]
connections.close_all()
if key_errors:
    raise ImproperlyConfigured("\n".join(str(error) for error in key_errors))

# The loaded application lives as long as the process: move it out of the garbage
# collector's reach, so that full collections during a large export (many short-lived
# rows) do not scan it again and again. Measured: a tenth of the export's time.
gc.freeze()
