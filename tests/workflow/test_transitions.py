"""Every workflow step, allowed and forbidden, for every role."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tracker import workflow
from tracker.models import StatusChange
from tracker.review import Status

S = Status
# (role, action, from status) → status after, or None when refused
ALLOWED = {
    ("editor", "submit", S.DRAFT): S.IN_REVIEW,
    ("reviewer", "submit", S.DRAFT): S.IN_REVIEW,
    ("superuser", "submit", S.DRAFT): S.IN_REVIEW,
    ("reviewer", "publish", S.IN_REVIEW): S.PUBLISHED,
    ("superuser", "publish", S.IN_REVIEW): S.PUBLISHED,
    ("reviewer", "reject", S.IN_REVIEW): S.REJECTED,
    ("superuser", "reject", S.IN_REVIEW): S.REJECTED,
    **{("reviewer", "send_back", s): S.DRAFT for s in (S.IN_REVIEW, S.PUBLISHED, S.REJECTED)},
    **{("superuser", "send_back", s): S.DRAFT for s in (S.IN_REVIEW, S.PUBLISHED, S.REJECTED)},
}
CASES = [
    (role, action, start)
    for role in ("editor", "reviewer", "superuser", "researcher")
    for action in workflow.TRANSITIONS
    for start in Status.values
]


@pytest.mark.parametrize(("role", "action", "start"), CASES)
def test_each_role_takes_exactly_the_allowed_steps(request, raid_by, role, action, start):
    user = request.getfixturevalue(role)
    author = request.getfixturevalue("editor" if role != "editor" else "researcher")
    raid = raid_by(author, status=start)
    expected = ALLOWED.get((role, action, start))
    if expected is None:
        with pytest.raises(workflow.WorkflowError):
            workflow.apply(action, raid, by=user, reason="checked")
        raid.refresh_from_db()
        assert raid.status == start
    else:
        assert workflow.apply(action, raid, by=user, reason="checked").status == expected
        raid.refresh_from_db()
        assert raid.status == expected


@pytest.mark.parametrize("step", [workflow.reject, workflow.send_back])
def test_reject_and_send_back_need_a_reason(in_review, reviewer, step):
    with pytest.raises(workflow.WorkflowError, match="reason"):
        step(in_review, by=reviewer, reason="  ")
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_a_step_records_who_and_why(in_review, reviewer):
    workflow.reject(in_review, by=reviewer, reason="Only one source, unconfirmed")
    in_review.refresh_from_db()
    assert in_review.status_reason == "Only one source, unconfirmed"
    latest = in_review.history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "rejected: Only one source, unconfirmed"
    change = StatusChange.objects.get(
        content_type=ContentType.objects.get_for_model(in_review), object_id=in_review.pk
    )
    assert (change.from_status, change.to_status, change.by) == ("in_review", "rejected", reviewer)


def test_a_step_does_not_change_the_last_editor(draft, editor):
    version = draft.version
    submitted = workflow.submit(draft, by=editor)
    assert submitted.updated_by == editor
    assert submitted.version == version + 1


def test_nobody_publishes_a_record_they_created(raid_by, reviewer):
    raid = raid_by(reviewer, status=Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="another reviewer"):
        workflow.publish(raid, by=reviewer)


def test_nobody_publishes_a_record_they_last_edited(in_review, reviewer, second_reviewer):
    in_review.updated_by = reviewer
    in_review.save()
    with pytest.raises(workflow.WorkflowError, match="another reviewer"):
        workflow.publish(in_review, by=reviewer)
    assert workflow.publish(in_review, by=second_reviewer).status == Status.PUBLISHED


def test_a_one_person_organisation_may_publish_its_own_records(raid_by, reviewer, settings):
    settings.ALLOW_SELF_PUBLISH = True
    raid = raid_by(reviewer, status=Status.IN_REVIEW)
    assert workflow.publish(raid, by=reviewer).status == Status.PUBLISHED


def test_allowed_actions_offer_only_what_the_user_may_do(in_review, editor, reviewer):
    assert workflow.allowed_actions(in_review, editor) == []
    assert workflow.allowed_actions(in_review, reviewer) == ["publish", "reject", "send_back"]


def test_a_reviewer_who_reverted_a_record_does_not_publish_it(in_review, reviewer, second_reviewer):
    first = in_review.history.last()
    in_review.settlement = "Orsha"
    in_review.save()
    reverted = workflow.revert(in_review, history_id=first.history_id, by=reviewer)
    with pytest.raises(workflow.WorkflowError, match="another reviewer"):
        workflow.publish(reverted, by=reviewer)
    assert workflow.publish(reverted, by=second_reviewer).status == Status.PUBLISHED


def test_a_decided_record_is_sent_back_before_it_is_reverted(published, reviewer):
    first = published.history.last()
    with pytest.raises(workflow.WorkflowError, match="back to draft"):
        workflow.revert(published, history_id=first.history_id, by=reviewer)
