"""Every API view takes its rows, nested ones included, from the one gate."""

import logging

import pytest

from tests.factories import DetentionFactory, RaidFactory, SourceLinkFactory
from tracker.api import collections
from tracker.api.views import RecordViewSet
from tracker.changes import RecordChangeQuerySet
from tracker.models import RecordQuerySet
from tracker.review import Visibility


@pytest.fixture
def gate_closed(monkeypatch):
    """A gate that lets nothing through: whatever still shows did not go through it."""
    monkeypatch.setattr(RecordQuerySet, "visible_to", lambda self, user: self.none())
    monkeypatch.setattr(RecordChangeQuerySet, "visible_to", lambda self, user: self.none())


def test_every_view_reads_through_the_gate(staff_client, sample, gate_closed):
    raid = RaidFactory()
    SourceLinkFactory(raid=raid)
    for collection in collections.views():
        assert staff_client.get(f"/api/v1/{collection}/").json()["results"] == []
        export = staff_client.get(f"/api/v1/export/{collection}/?format=json")
        assert b"".join(export.streaming_content) == b"[]"
        assert staff_client.get(f"/api/v1/{collection}/1/").status_code == 404
    assert staff_client.get(f"/api/v1/incidents/raid-{raid.pk}/").status_code == 404
    deletions = staff_client.get("/api/v1/deletions/?since=2000-01-01T00:00:00Z").json()
    assert deletions["results"] == []


def test_nested_rows_read_through_the_gate(staff_client, monkeypatch):
    detention = DetentionFactory(raid=RaidFactory())
    SourceLinkFactory(detention=detention)
    seen = []
    original = RecordQuerySet.visible_to
    monkeypatch.setattr(
        RecordQuerySet, "visible_to", lambda qs, user: seen.append(qs.model) or original(qs, user)
    )
    staff_client.get("/api/v1/detentions/")
    assert {m._meta.model_name for m in seen} >= {
        "detention",
        "person",
        "organisation",
        "raid",
        "source",
    }


def test_no_api_view_defines_its_own_queryset():
    views = [*collections.views().values()]
    assert len(views) == 7
    for view in views:
        assert issubclass(view, RecordViewSet)
        assert "get_queryset" not in vars(view), view


@pytest.mark.parametrize(
    ("url", "kind"),
    [("/api/v1/people/{pk}/", "person"), ("/api/v1/incidents/detention-{pk}/", "detention")],
)
def test_a_hidden_record_answers_404_and_is_logged_as_refused(researcher_client, caplog, url, kind):
    caplog.set_level(logging.INFO, logger="tracker.audit")
    detention = DetentionFactory(visibility=Visibility.CONFIDENTIAL)
    detention.person.visibility = Visibility.CONFIDENTIAL
    detention.person.save()
    pk = detention.person.pk if kind == "person" else detention.pk
    assert researcher_client.get(url.format(pk=pk)).status_code == 404
    refused = [r.audit for r in caplog.records if r.getMessage() == "access_refused"]
    assert [(line["kind"], line["pk"]) for line in refused] == [(kind, str(pk))]


def test_a_missing_record_answers_404_without_an_audit_line(researcher_client, caplog):
    caplog.set_level(logging.INFO, logger="tracker.audit")
    assert researcher_client.get("/api/v1/people/999999/").status_code == 404
    assert not [r for r in caplog.records if r.name == "tracker.audit"]
