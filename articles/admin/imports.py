"""The admin's import page (/admin/articles/article/import/): upload files (a .zip too) or name a
URL, try it as a dry run, import, and read the report. Every run is recorded as an ImportRun,
listed here too, as are the feed sources that workers poll."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone

from ..importing import runs
from ..importing.opml import OpmlError, export_opml, import_opml
from ..importing.pipeline import Defaults
from ..importing.polling import FAILED
from ..models import Article, FeedSource, ImportRun
from ..tasks import import_uploads, poll_now


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked as a FileField checks one."""

    def __init__(self, **kwargs):
        super().__init__(widget=MultipleFileInput(), **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False, help_text="Text, Markdown, HTML, RSS, Atom, JSON or JSON Feed files, or .zip archives of them."
    )
    url = forms.URLField(
        label="URL", required=False, assume_scheme="https", help_text="A page or a feed to fetch (public addresses only)."
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Show what would happen, and write nothing."
    )
    access = forms.ChoiceField(
        required=False,
        choices=[("", "As the input says (else the site default)"), *Article.Access.choices],
        help_text="For articles whose input does not say.",
    )
    source = forms.CharField(
        required=False, max_length=200, help_text="The publisher, for articles whose input names none."
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not cleaned.get("url") and not self.errors:
            raise forms.ValidationError("Choose at least one file, or give a URL.")
        return cleaned

    def defaults(self) -> Defaults:
        return Defaults(access=self.cleaned_data["access"] or None, source_name=self.cleaned_data["source"].strip())


def import_view(request):
    """Staff only (wrapped by admin_view); importing also needs permission to add articles."""
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    run = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            run = import_uploads(data["files"], data["url"], user=request.user, dry_run=data["dry_run"], defaults=form.defaults())
            form = ImportForm(initial={"access": form.cleaned_data["access"], "source": form.cleaned_data["source"]})
    else:
        form = ImportForm()
    context = {
        **admin.site.each_context(request),
        "title": "Import articles",
        "opts": Article._meta,
        "form": form,
        "run": run,
    }
    return render(request, "admin/articles/article/import.html", context, status=400 if form.errors else 200)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: every import run, from the admin page, the command and feed polling."""

    list_display = [
        "started_at", "channel", "started_by", "dry_run", "status",
        "created_count", "updated_count", "unchanged_count", "failed_count", "warning_count", "shown_inputs",
    ]
    list_filter = ["channel", "dry_run", "status"]
    list_select_related = ["started_by"]
    date_hierarchy = "started_at"
    fields = [
        "channel", "status", "error", "started_by", "started_at", "finished_at", "host", "pid", "heartbeat_at",
        "dry_run", "inputs", "options", "report_page",
    ]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        runs.end_stale()  # so that no run whose process is gone is listed as running
        return super().changelist_view(request, extra_context)

    @admin.display(description="report")
    def report_page(self, run):
        return render_to_string("admin/articles/_import_report.html", {"run": run})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OpmlForm(forms.Form):
    file = forms.FileField(label="OPML file", help_text="A feed reader's subscription list (.opml).")
    dry_run = forms.BooleanField(required=False, label="Dry run", help_text="Show what would be added; add nothing.")


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    list_display = [
        "url", "source", "default_access", "active", "fetch_full_text", "last_fetched_at", "last_error", "last_run",
    ]
    list_filter = ["active", "fetch_full_text"]
    search_fields = ["url"]
    list_select_related = ["source", "last_run"]
    autocomplete_fields = ["source"]
    readonly_fields = ["last_fetched_at", "last_error", "etag", "last_modified", "last_run", "created_at"]
    actions = ["poll_now"]

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request, queryset):
        for feed in queryset.select_related("source"):
            polled = poll_now(feed)
            self.message_user(request, str(polled), level="error" if polled.outcome == FAILED else "info")

    def get_urls(self):
        return [
            path("opml/import/", self.admin_site.admin_view(self.opml_import_view), name="articles_feedsource_opml_import"),
            path("opml/export/", self.admin_site.admin_view(self.opml_export_view), name="articles_feedsource_opml_export"),
            *super().get_urls(),
        ]

    def opml_import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        outcome = None
        form = OpmlForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                outcome = import_opml(form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"])
            except OpmlError as error:
                form.add_error("file", str(error))
            else:
                if not form.cleaned_data["dry_run"] and not outcome.refused:
                    self.message_user(request, str(outcome), messages.SUCCESS)
                    return redirect("admin:articles_feedsource_changelist")
        context = {
            **self.admin_site.each_context(request), "title": "Import feed sources from OPML", "opts": self.opts,
            "form": form, "outcome": outcome,
        }
        return render(request, "admin/articles/feedsource/opml_import.html", context, status=400 if form.errors else 200)

    def opml_export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        data = export_opml(FeedSource.objects.select_related("source").order_by("url"), now=now)
        response = HttpResponse(data, content_type="text/x-opml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="feed-sources-{now:%Y-%m-%d}.opml"'
        return response
