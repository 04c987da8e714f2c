"""The move of a detention's place of custody and whereabouts into stays and facts."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incidents", "0009_list_and_filter_indexes")]
AFTER = [("incidents", "0012_detention_custody_columns_removed")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection).loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_custody_columns_move_into_stays_and_facts_and_back():
    try:
        old = migrate(BEFORE)
        person = old.get_model("organisations", "Person").objects.create(name="A", search_key="a")
        detention = old.get_model("incidents", "Detention")
        day = datetime.date(2021, 7, 1)
        common = {"person_id": person.pk, "date": day, "date_precision": "month"}
        held = detention.objects.create(custody_place=" SIZO-1 ", whereabouts_known=False,
                                        **common)  # fmt: skip
        release = {"outcome": "released", "release_date": datetime.date(2021, 8, 2)}
        released = detention.objects.create(custody_place="SIZO-1", **release, **common)
        nowhere = detention.objects.create(**common)
        new = migrate(AFTER)
        stays = new.get_model("incidents", "CustodyStay").objects.order_by("detention_id")
        rows = list(stays.values_list("detention_id", "place__name", "since", "since_precision",
                                      "until"))  # fmt: skip
        assert rows == [
            (held.pk, "SIZO-1", day, "month", None),
            (released.pk, "SIZO-1", day, "month", datetime.date(2021, 8, 2)),
        ]
        facts = new.get_model("incidents", "CustodyFact").objects.values_list(
            "detention_id", "aspect", "state", "since"
        )
        assert list(facts) == [(held.pk, "whereabouts", "unknown", day)]
        history = new.get_model("incidents", "HistoricalCustodyStay").objects
        assert history.filter(history_type="+").count() == 2
        back = migrate(BEFORE)
        restored = back.get_model("incidents", "Detention").objects.order_by("pk")
        assert list(restored.values_list("pk", "custody_place", "whereabouts_known")) == [
            (held.pk, "SIZO-1", False),
            (released.pk, "SIZO-1", True),
            (nowhere.pk, "", True),
        ]
    finally:
        migrate(None)
