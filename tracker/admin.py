"""The admin's building blocks shared by every record, and the review logs' lists.

The site itself, with its second factor, is ``tracker.site`` (a module of its own: the
admin's default site is imported while this module registers into it).

Review status changes only through the workflow (``tracker/workflow.py``): changelist
actions and the buttons on the change page call it. The change page also shows the record's
full history, field by field, and refuses to save over a colleague's newer change.
"""

import itertools
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from tracker import import_views, importing, linked, record_rows, tasks, workflow
from tracker.dates import describe
from tracker.formfields import typed_input_kwargs
from tracker.models import Dump, PurgeLog, StatusChange
from tracker.paginators import EstimatedCountPaginator
from tracker.review import LOCKED_STATUSES, Status

RECORD_META_FIELDS = ("version", "created_by", "created_at", "updated_by", "updated_at")
# The workflow step that leads to each status, to say what a colleague did meanwhile.
STEP_LABELS = {
    target: workflow.ACTION_LABELS[a] for a, (_f, target, _p) in workflow.TRANSITIONS.items()
}
# Bookkeeping columns left out of the field-by-field history.
HISTORY_NOISE = ["version", "updated_at", "search_key"]


class RecordForm(forms.ModelForm):
    """Refuses to save over a change made since the form was opened (lost updates).

    The version the editor saw travels in a hidden field and is compared with the row
    locked for update, so of two people saving the same record the second is refused, keeps
    their input on the form, and overwrites nothing.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "seen_version" in self.fields:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None or "seen_version" not in self.fields:
            return cleaned
        model = type(self.instance)
        version, status = (
            model._base_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", "status")
            .first()
        ) or (None, None)
        if version != cleaned.get("seen_version") or status in LOCKED_STATUSES:
            raise ValidationError(self.conflict_message(status), code="changed_since_opened")
        return cleaned

    def conflict_message(self, status: str | None) -> str:
        """Who did what since the form was opened, read from the history, and what now."""
        latest, previous = [*self.instance.history.select_related("history_user")[:2], None][:2]
        who = latest.history_user.get_username() if latest and latest.history_user else None
        when = timezone.localtime(latest.history_date) if latest else None
        review_step = bool(latest and previous and latest.status != previous.status)
        message = _("This record was %(step)s by %(user)s at %(time)s since you opened it.") % {
            "step": STEP_LABELS[latest.status] if review_step else _("changed"),
            "user": who or _("someone"),
            "time": formats.date_format(when, "DATETIME_FORMAT") if when else "?",
        }
        if review_step and latest.status_reason:
            message += " " + _("Reason: %(reason)s") % {"reason": latest.status_reason}
        if status in LOCKED_STATUSES:
            return f"{message} " + _(
                "Nothing was saved and your input is kept below. A published or rejected record "
                "is read-only: copy what you need, and ask a reviewer to send the record back to "
                "draft if it needs your correction."
            )
        return f"{message} " + _(
            "Nothing was saved and your input is kept below: open the record in a new tab to see "
            "the change, then enter yours there."
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this erases the records, their history and their files."),
    )


def refused_on_form(request: HttpRequest) -> bool:
    """Whether this request saves a record decided since its page was opened.

    Such a save gets the editable form back, with the input and the reason it was refused
    (``RecordForm.clean`` refuses every save of a decided record), never a bare 403.
    """
    return getattr(request, "refuse_on_form", False)


class TypedInputMixin:
    """Numbers and dates of every record form and inline read as typed (``tracker.formfields``)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        kwargs = {**typed_input_kwargs(db_field), **kwargs}
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LockedParentInlineMixin(TypedInputMixin):
    """Inline rows of a published or rejected record are read-only, like the record."""

    def _parent_locked(self, request, obj) -> bool:
        locked = obj is not None and getattr(obj, "is_locked", False)
        return locked and not refused_on_form(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._parent_locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._parent_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._parent_locked(request, obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to find and view rows that are written elsewhere."""

    paginator = EstimatedCountPaginator

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ChildRowAdmin(ReadOnlyAdmin):
    """Rows that belong to a record (seized items, names, links) for finding and viewing.

    They are edited inline on their record's page, where the record's lock, lost-update
    protection and version apply. They stay off the home page and the app's list (their
    record's page links them; their own list keeps its URL).
    """

    def has_module_permission(self, request) -> bool:
        return False


# Inlines that an app higher up shows on the page of a record of an app below it (the
# sources supporting a person): the lower app cannot name them.
EXTRA_INLINES: dict[type, list[type[InlineModelAdmin]]] = defaultdict(list)


def add_inline(model: type, inline: type[InlineModelAdmin]) -> None:
    """Show ``inline`` on the page of ``model`` after its own inlines."""
    EXTRA_INLINES[model].append(inline)


# Read-only panels that an app higher up shows on a record's page (a person's timeline of
# detentions and raids): functions of (request, record) returning a dict with ``title``,
# ``template`` and the template's context, or None.
EXTRA_PANELS: dict[type, list] = defaultdict(list)


def add_panel(model: type, panel) -> None:
    """Show ``panel(request, record)`` on the change page of ``model``, below the form."""
    EXTRA_PANELS[model].append(panel)


def partial_dates(change, older, newer) -> dict:
    """A partial date in the history reads as known ("July 2021"), not as its first day."""
    precision = f"{change.field}_precision"
    if change.field != "date" or not hasattr(newer, precision):
        return {}
    return {
        "old": describe(older.date, getattr(older, precision)) if older.date else "—",
        "new": describe(newer.date, getattr(newer, precision)) if newer.date else "—",
    }


class RecordAdmin(TypedInputMixin, SimpleHistoryAdmin):
    """Stamps authorship, runs the review workflow, keeps changelists cheap on large tables."""

    form = RecordForm
    change_form_template = "admin/tracker/record_change_form.html"
    change_list_template = "admin/tracker/record_change_list.html"
    readonly_fields = ("status", "status_reason", *RECORD_META_FIELDS)
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Status and its reason are shown by the review panel at the top of the page.
    review_fieldsets = (
        (_("Who may see it"), {"fields": ("visibility",)}),
        (_("Record"), {"fields": RECORD_META_FIELDS, "classes": ("collapse",)}),
    )
    actions = (
        "submit_selected",
        "publish_selected",
        "reject_selected",
        "send_back_selected",
        "purge_selected",
    )

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *EXTRA_INLINES[self.model]]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, (None, {"fields": ("seen_version",), "classes": ("hidden",)})]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_locked and not refused_on_form(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Records leave through the audited purge; plain deletion stays with admins.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_submit_permission(self, request) -> bool:
        return request.user.has_perm("tracker.submit_record")

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("tracker.publish_record")

    def has_purge_permission(self, request) -> bool:
        return request.user.has_perm("tracker.purge_record")

    # Reverts go through the workflow (change page), never through simple-history's form.
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # Changelist actions

    @admin.action(description=_("Submit selected for review"), permissions=("submit",))
    def submit_selected(self, request, queryset):
        self.run_workflow(request, queryset, workflow.SUBMIT)

    @admin.action(description=_("Publish selected"), permissions=("publish",))
    def publish_selected(self, request, queryset):
        self.run_workflow(request, queryset, workflow.PUBLISH)

    @admin.action(description=_("Reject selected (with a reason)"), permissions=("publish",))
    def reject_selected(self, request, queryset):
        return self.ask_then_run(request, queryset, workflow.REJECT)

    @admin.action(
        description=_("Send selected back to draft (with a reason)"), permissions=("publish",)
    )
    def send_back_selected(self, request, queryset):
        return self.ask_then_run(request, queryset, workflow.SEND_BACK)

    @admin.action(
        description=_("Purge selected (erase for a person's safety)"), permissions=("purge",)
    )
    def purge_selected(self, request, queryset):
        form = ConfirmForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self.intermediate_page(request, queryset, "purge_selected", form)
        done = 0
        for record in queryset:
            try:
                workflow.purge(record, by=request.user)
                done += 1
            except workflow.WorkflowError as error:
                messages.error(request, f"#{record.pk}: {error}")
        messages.success(request, ngettext("%d record purged.", "%d records purged.", done) % done)
        return None

    def ask_then_run(self, request, queryset, action: str) -> HttpResponse | None:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self.intermediate_page(request, queryset, f"{action}_selected", form)
        self.run_workflow(request, queryset, action, reason=form.cleaned_data["reason"])
        return None

    def run_workflow(self, request, queryset: QuerySet, action: str, reason: str = "") -> None:
        done = 0
        for record in queryset:
            try:
                workflow.apply(action, record, by=request.user, reason=reason)
                done += 1
            except workflow.WorkflowError as error:
                messages.error(request, f"{record}: {error}")
        if done:
            label = workflow.ACTION_LABELS[action]
            messages.success(
                request,
                ngettext("%(n)d record %(label)s.", "%(n)d records %(label)s.", done)
                % {"n": done, "label": label},
            )

    def intermediate_page(self, request, queryset, action: str, form) -> TemplateResponse:
        """Ask for a reason or a confirmation, then post the action back to the changelist."""
        return TemplateResponse(
            request,
            "admin/tracker/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": self.get_action(action)[2],
                "opts": self.model._meta,
                "records": queryset,
                "action": action,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # The change page: workflow buttons and history

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        imports = []
        if importing.importer_for_model(self.model):
            imports = [
                path(
                    "import/",
                    self.admin_site.admin_view(self.import_view),
                    name="{}_{}_import".format(*info),
                ),
                path(
                    "import/template/",
                    self.admin_site.admin_view(self.import_template_view),
                    name="{}_{}_import_template".format(*info),
                ),
            ]
        return [
            *imports,
            path(
                "<path:object_id>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return import_views.import_view(self, request)

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        return import_views.template_view(self, request)

    def changelist_view(self, request, extra_context=None):
        can_import = importing.importer_for_model(self.model) and request.user.has_perm(
            "tracker.import_records"
        )
        extra_context = {"can_import": can_import, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_permission(request, obj):
            extra_context = {**self.review_context(request, obj), **(extra_context or {})}
            if request.method == "POST" and obj.is_locked:
                # Decided since the page was opened: the form refuses the save (see
                # RecordForm.clean) and comes back with the input, instead of a bare 403.
                request.refuse_on_form = super().has_change_permission(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        draft = obj is None or obj.status == Status.DRAFT
        context["can_save_and_submit"] = (
            draft
            and not context.get("is_popup")
            and self.has_submit_permission(request)
            and (
                self.has_add_permission(request)
                if add
                else self.has_change_permission(request, obj)
            )
        )
        if change and obj is not None:
            panels = (panel(request, obj) for panel in EXTRA_PANELS[self.model])
            context["record_panels"] = [panel for panel in panels if panel]
        if change and request.method == "POST":
            # The refused input was written into ``obj``: the heading names the stored record.
            stored = self.get_queryset(request).get(pk=obj.pk)
            context = {**context, "subtitle": str(stored), "original": stored}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self.submit_after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self.submit_after_save(request, obj) or super().response_change(request, obj)

    def submit_after_save(self, request, obj) -> HttpResponse | None:
        """ "Save and submit for review": the record and the new drafts it names, all or none.

        The drafts are those this user entered with it (a person added in the popup, the
        detentions entered on a raid's page), so a case goes to review in one step.
        """
        if "_submit" not in request.POST or not self.has_submit_permission(request):
            return None
        drafts = [
            other
            for other in linked.unpublished_links(obj)
            if other.status == Status.DRAFT and other.created_by_id == request.user.pk
        ]
        try:
            workflow.submit_together([obj, *drafts], by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, _("Saved, but not submitted: %(error)s") % {"error": error})
        else:
            done = ngettext(
                "Saved and submitted for review with %(n)d linked record.",
                "Saved and submitted for review with %(n)d linked records.",
                len(drafts),
            ) % {"n": len(drafts)}
            messages.success(request, done if drafts else _("Saved and submitted for review."))
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def review_context(self, request: HttpRequest, obj) -> dict:
        versions = list(self.get_history_queryset(request, self.model.history, "id", obj.pk))
        links = self.link_history(versions)
        for newer, older in itertools.pairwise(versions):
            delta = newer.diff_against(older, excluded_fields=[*HISTORY_NOISE, *links])
            helper = self.get_historical_record_context_helper(request, newer)
            newer.changes = [
                {**shown, **self.choice_labels(change), **partial_dates(change, older, newer)}
                for change, shown in zip(
                    delta.changes, helper.context_for_delta_changes(delta), strict=True
                )
            ]
            for field, (by_version, names) in links.items():
                old, new = by_version[older.history_id], by_version[newer.history_id]
                if old != new:
                    newer.changes.append(
                        {
                            "field": self.model._meta.get_field(field).verbose_name,
                            "old": ", ".join(sorted(names[pk] for pk in old)) or "—",
                            "new": ", ".join(sorted(names[pk] for pk in new)) or "—",
                        }
                    )
        rows = record_rows.changes_by_version(obj, versions)
        for version in versions:
            version.changes = [*getattr(version, "changes", []), *rows.get(version.history_id, [])]
        user = request.user
        publish_refusal = None
        if obj.status == Status.IN_REVIEW and user.has_perm("tracker.publish_record"):
            publish_refusal = workflow.refusal(obj, user, workflow.PUBLISH)
        return {
            "workflow_actions": [
                (action, workflow.ACTION_BUTTONS[action])
                for action in workflow.allowed_actions(obj, user)
            ],
            "publish_refusal": publish_refusal,
            "workflow_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_workflow", args=[obj.pk]
            ),
            "record_versions": versions,
            "can_revert": user.has_perm("tracker.revert_record") and not obj.is_locked,
            "can_purge": user.has_perm("tracker.purge_record"),
        }

    def link_history(self, versions: list) -> dict[str, tuple[dict[int, set], dict[int, str]]]:
        """Many-to-many links of every version (one query per field, whatever the length).

        ``diff_against`` would query the links of each pair of versions; this reads them
        once: per field, the linked ids of each version and the names of those ids.
        """
        links = {}
        for field in getattr(self.model, "_history_m2m_fields", ()):
            through = getattr(self.model.history.model, field).model
            target = self.model._meta.get_field(field).related_model
            column = f"{target._meta.model_name}_id"
            by_version: dict[int, set] = {v.history_id: set() for v in versions}
            rows = through.objects.filter(history__in=list(by_version)).values_list(
                "history_id", column
            )
            for history_id, pk in rows:
                by_version[history_id].add(pk)
            linked = set().union(*by_version.values())
            names = {o.pk: str(o) for o in target._base_manager.filter(pk__in=linked)}
            names.update({pk: f"#{pk}" for pk in linked - names.keys()})
            links[field] = (by_version, names)
        return links

    def choice_labels(self, change) -> dict:
        """Choice fields in the history show their labels ("in review"), not stored values."""
        choices = dict(self.model._meta.get_field(change.field).flatchoices)
        if not choices:
            return {}
        return {
            "old": choices.get(change.old, change.old),
            "new": choices.get(change.new, change.new),
        }

    def workflow_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Take one workflow step from the change page's buttons, then return there."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
        try:
            if action == "purge":
                if request.POST.get("confirm", "").strip().lstrip("#") != str(obj.pk):
                    raise workflow.WorkflowError(
                        _("Type the record's number to confirm the purge: nothing was erased.")
                    )
                workflow.purge(obj, by=request.user)
                messages.success(request, _("The record was purged."))
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
                )
            if action == "revert":
                history_id = self.posted_int(request, "history_id")
                if history_id is None:
                    raise workflow.WorkflowError(_("That version of the record does not exist."))
                workflow.revert(obj, history_id=history_id, by=request.user, reason=reason)
                messages.success(request, _("The record was reverted to the earlier version."))
            else:
                workflow.apply(
                    action,
                    obj,
                    by=request.user,
                    reason=reason,
                    seen_version=self.posted_int(request, "version"),
                )
                messages.success(
                    request, _("Done: %(label)s.") % {"label": workflow.ACTION_LABELS[action]}
                )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(change_url)

    @staticmethod
    def posted_int(request: HttpRequest, name: str) -> int | None:
        try:
            return int(request.POST.get(name, ""))
        except ValueError:
            return None


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    """Written by the workflow only (tracker/workflow.py); off the home page, like rows."""

    has_module_permission = ChildRowAdmin.has_module_permission

    list_display = ("at", "content_type", "object_id", "from_status", "to_status", "by")
    list_filter = ("to_status", "content_type")
    list_select_related = ("content_type", "by")
    show_full_result_count = False


@admin.register(PurgeLog)
class PurgeLogAdmin(ReadOnlyAdmin):
    """What was purged, by whom and when; never what it said."""

    list_display = ("purged_at", "kind", "object_id", "purged_by")
    list_filter = ("kind",)
    list_select_related = ("purged_by",)
    show_full_result_count = False


@admin.register(Dump)
class DumpAdmin(ReadOnlyAdmin):
    """The full dumps' files (built by ``tracker.dumps``), and a button to build a set now."""

    change_list_template = "admin/tracker/dump_change_list.html"
    list_display = (
        "snapshot_at", "level", "collection", "format", "rows", "size_shown", "updated_since"
    )  # fmt: skip
    list_filter = ("level", "collection", "format")
    readonly_fields = (
        "collection", "format", "level", "rows", "size", "sha256", "snapshot_at",
        "updated_since", "created_at",
    )  # fmt: skip
    exclude = ("file",)

    @admin.display(description=_("size"), ordering="size")
    def size_shown(self, obj: Dump) -> str:
        return filesizeformat(obj.size)

    def get_urls(self):
        build = self.admin_site.admin_view(self.build_view)
        return [path("build/", build, name="tracker_dump_build"), *super().get_urls()]

    def build_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm("tracker.build_dumps"):
            raise PermissionDenied
        transaction.on_commit(tasks.build_dumps.delay)
        messages.success(
            request,
            _("The dumps are being built: they are listed here, and in the API, once complete."),
        )
        return HttpResponseRedirect(reverse("admin:tracker_dump_changelist"))

    def changelist_view(self, request, extra_context=None):
        can_build = request.user.has_perm("tracker.build_dumps")
        return super().changelist_view(request, {**(extra_context or {}), "can_build": can_build})
