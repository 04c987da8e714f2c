"""Database lookups the project adds to Django's fields (registered in ``TrackerConfig``)."""

from django.db import models


class AnyOf(models.Lookup):
    """``field = ANY(%s)`` on PostgreSQL: one array parameter for thousands of ids, where
    ``__in`` builds, quotes and sends one parameter each (the cost of a chunk of export).

    The array goes as one text literal (``{1,2,3}``): psycopg would quote a Python list
    element by element.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if connection.vendor == "postgresql":
            array = "{" + ",".join(map(str, map(int, ids))) + "}"
            return f"{lhs} = ANY(%s::bigint[])", [*params, array]
        if not ids:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]
