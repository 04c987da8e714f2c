"""A persistent database connection that died is replaced, not answered with a 500."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory


@pytest.fixture
def persistent_connection(transactional_db):
    """The connection kept between requests, as with ``CONN_MAX_AGE=60`` in production."""
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.ensure_connection()
    yield connection
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 0


def test_a_lost_connection_is_replaced_before_the_next_request(persistent_connection):
    pid = persistent_connection.connection.info.backend_pid
    other = connection.get_new_connection(connection.get_connection_params())
    with other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    statuses = []
    environ = RequestFactory().get("/api/v1/organisations/").environ
    WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["200 OK"]
