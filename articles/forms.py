"""Forms readers fill in on the site's pages: comments, search, and their desk's digest."""

import hashlib
import zoneinfo

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxLengthValidator

from .contentversion import versioned_key
from .models import Country, Digest


class CommentBodyForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write something before you post."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.NEWSREADER_COMMENT_MAX_LENGTH
        self.fields["body"].validators.append(
            MaxLengthValidator(limit, f"Keep it to {limit} characters (this one has %(show_value)d).")
        )
        self.fields["body"].widget.attrs["maxlength"] = limit


class CommentForm(CommentBodyForm):
    """A comment, or a reply to one (`parent`): the form at the foot of the discussion and under
    each thread (`for_reply`)."""

    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A honeypot: hidden from people (CSS, aria-hidden), filled in by bots that fill every field.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("This looks automated, so it was not posted.")
        return self.cleaned_data

    @classmethod
    def for_reply(cls, comment) -> "CommentForm":
        form = cls(initial={"parent": comment.pk}, auto_id=f"reply-to-{comment.pk}-%s")
        form.fields["body"].label = f"Your reply to {comment.user.get_username()}"
        form.fields["body"].widget.attrs["rows"] = 3
        return form


class VersionCachedSelect(forms.Select):
    """A select whose many options (every country) are the same for everyone: rendered through
    Django's widget templates they cost more than the rest of the page, so the HTML is kept per content version,
    name, value and attributes, and a personal page (a member's search) gets it without a query."""

    def render(self, name, value, attrs=None, renderer=None):
        if not settings.NEWSREADER_PAGE_CACHE_SECONDS:
            return super().render(name, value, attrs, renderer)
        described = repr((name, value, sorted((attrs or {}).items()), sorted(self.attrs.items())))
        key = versioned_key(f"select:{hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()}")
        html = cache.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            cache.set(key, html, settings.NEWSREADER_PAGE_CACHE_SECONDS)
        return html


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    country = forms.ModelChoiceField(
        queryset=Country.objects.only("code", "name"), to_field_name="code", required=False,
        empty_label="Any country", widget=VersionCachedSelect,
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date is before the start date.")
        return data


class DigestForm(forms.Form):
    """A member's mail from their desk: the digest, the time zone its days start in, replies."""

    digest = forms.ChoiceField(label="Email digest", choices=Digest.choices, widget=forms.RadioSelect)
    time_zone = forms.CharField(
        label="Your time zone", max_length=64, required=False,
        help_text="A day's digest covers your day, from midnight here (e.g. Europe/Paris, America/New_York).",
    )
    reply_emails = forms.BooleanField(label="Email me replies to my comments", required=False)

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip() or "UTC"
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise forms.ValidationError(f"“{name}” is not a time zone we know (e.g. Europe/Paris).") from error
        return name


class GiftForm(forms.Form):
    """Months of membership for someone's email address (views/gifts.py)."""

    email = forms.EmailField(label="Their email address")
    months = forms.TypedChoiceField(label="Months", coerce=int,
                                    choices=[(3, "3 months"), (6, "6 months"), (12, "12 months")])
