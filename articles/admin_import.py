"""The admin's import page (/admin/articles/article/import/): upload files (a .zip too) or name a
URL, try it as a dry run, import, and read the report. Every run is recorded as an ImportRun."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .importing import runs
from .importing.pipeline import Defaults, Importer, Input, inputs_from_names, inputs_from_uploads
from .models import Article, ImportRun


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
        required=False, help_text="Text, Markdown, HTML, RSS, Atom or JSON files, or .zip archives of them."
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

    def inputs(self) -> list[Input]:
        items = inputs_from_uploads(self.cleaned_data["files"])
        if self.cleaned_data["url"]:
            items += inputs_from_names([self.cleaned_data["url"]])
        return items

    def defaults(self) -> Defaults:
        return Defaults(access=self.cleaned_data["access"] or None, source_name=self.cleaned_data["source"].strip())


def run_import(form: ImportForm, user) -> ImportRun:
    inputs = form.inputs()
    dry_run = form.cleaned_data["dry_run"]
    run = runs.start(
        ImportRun.Channel.ADMIN,
        inputs=[item.name for item in inputs],
        user=user,
        dry_run=dry_run,
        options={"access": form.cleaned_data["access"], "source": form.cleaned_data["source"]},
    )
    report = Importer(dry_run=dry_run, defaults=form.defaults()).run(inputs)
    return runs.finish(run, report)


def import_view(request):
    """Staff only (wrapped by admin_view); importing also needs permission to add articles."""
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    run = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            run = run_import(form, request.user)
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
