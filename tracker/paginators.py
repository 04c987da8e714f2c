"""A paginator for the admin's lists of large tables: no exact ``COUNT(*)`` of many rows."""

import json
from functools import cached_property

from django.core.paginator import Paginator

# Below this many rows (as PostgreSQL estimates them) the exact count is cheap enough.
EXACT_BELOW = 10_000


def estimated_count(queryset) -> int | None:
    """PostgreSQL's estimate of the rows of ``queryset`` (from its statistics, by ``EXPLAIN``),
    or None on another database."""
    if queryset.db is None or queryset.query.is_empty():
        return None
    from django.db import connections

    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Counts exactly what is small; a list estimated at ``EXACT_BELOW`` rows or more gets
    PostgreSQL's estimate instead, so that its first page does not read the whole table.

    The number of pages is then approximate: a last page past the real end is empty
    (the changelist shows the first page instead).
    """

    @cached_property
    def count(self) -> int:
        estimate = estimated_count(self.object_list)
        if estimate is not None and estimate >= EXACT_BELOW:
            return estimate
        return super().count
