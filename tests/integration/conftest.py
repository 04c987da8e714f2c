"""The process fixtures of ``test_celery_stack``, shared with the other integration tests."""

from tests.integration.test_celery_stack import environment, start  # noqa: F401
