"""Turning a parsed article into a stored one: sanitise, split the free preview, and save it
whole, idempotently (the same input twice is `unchanged`, a changed one `updated`)."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, slugify

from ..models import Article, Source
from ..readingtime import reading_minutes
from .parsed import ImportFailed, ParsedArticle
from .sanitize import clean_html, html_to_text

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
EXCERPT_WORDS = 40
SLUG_LENGTH = 80


@dataclass
class Prepared:
    """The article's stored fields, as they would be saved."""

    fields: dict
    source_name: str


def prepare(parsed: ParsedArticle) -> Prepared:
    title = " ".join(parsed.title.split())
    if not title:
        raise ImportFailed("it has no title")
    if len(title) > Article._meta.get_field("title").max_length:
        raise ImportFailed(f"its title is longer than {Article._meta.get_field('title').max_length} characters")
    blocks = [cleaned for block in parsed.blocks if (cleaned := clean_html(block).strip())]
    if not blocks:
        raise ImportFailed(f"“{title}” has no text")

    access = parsed.access or (Article.Access.MEMBERS if parsed.free_blocks is not None else settings.NEWSREADER_DEFAULT_ACCESS)
    if access not in Article.Access.values:
        raise ImportFailed(f"its access {access!r} is neither “free” nor “members”")
    if access == Article.Access.FREE:
        free, members = blocks, []
    else:
        split_at = parsed.free_blocks if parsed.free_blocks is not None else settings.NEWSREADER_FREE_PARAGRAPHS
        free, members = blocks[:split_at], blocks[split_at:]

    free_text = "\n\n".join(html_to_text(b) for b in free)
    fields = {
        "title": title,
        "dek": parsed.dek.strip(),
        "excerpt": Truncator(" ".join((parsed.dek or free_text).split())).words(EXCERPT_WORDS),
        "author": parsed.author.strip(),
        "source_url": parsed.source_url.strip(),
        "access": access,
        "free_html": "\n".join(free),
        "members_html": "\n".join(members),
        "free_text": free_text,
        "members_text": "\n\n".join(html_to_text(b) for b in members),
        "source_truncated": parsed.source_truncated,
        "stripped_chrome": parsed.stripped_chrome,
    }
    if parsed.published_at:
        fields["published_at"] = parsed.published_at.astimezone(dt.UTC)
    for name, value in fields.items():
        limit = getattr(Article._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ImportFailed(f"its {name.replace('_', ' ')} is longer than {limit} characters")
    source_name = parsed.source_name.strip()
    fields["content_hash"] = hashlib.sha256(
        json.dumps([fields, source_name], sort_keys=True, default=str).encode()
    ).hexdigest()
    # Derived from the texts the hash covers, so it stays out of the hash.
    fields["reading_minutes"] = reading_minutes(fields["free_text"], fields["members_text"])
    return Prepared(fields=fields, source_name=source_name)


def find_existing(prepared: Prepared, *, lock: bool = False) -> Article | None:
    """The stored article this input is a version of: same source URL, else same source and title."""
    articles = Article.objects.select_for_update(of=("self",)) if lock else Article.objects.all()
    if prepared.fields["source_url"]:
        return articles.filter(source_url=prepared.fields["source_url"]).first()
    same_source = Q(source__name=prepared.source_name) if prepared.source_name else Q(source__isnull=True)
    return articles.filter(same_source, source_url="", title=prepared.fields["title"]).first()


def outcome_of(prepared: Prepared) -> tuple[str, Article | None]:
    """What storing would do, without writing anything (for dry runs)."""
    existing = find_existing(prepared)
    if existing is None:
        return CREATED, None
    return (UNCHANGED if existing.content_hash == prepared.fields["content_hash"] else UPDATED), existing


def unique_slug(title: str) -> str:
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def store(prepared: Prepared) -> tuple[str, Article]:
    """Save the article whole in its own transaction; returns (outcome, article)."""
    with transaction.atomic():
        existing = find_existing(prepared, lock=True)
        if existing is not None and existing.content_hash == prepared.fields["content_hash"]:
            return UNCHANGED, existing
        source = Source.objects.get_or_create(name=prepared.source_name)[0] if prepared.source_name else None
        if existing is None:
            article = Article(source=source, slug=unique_slug(prepared.fields["title"]))
            if "published_at" not in prepared.fields:
                article.published_at = timezone.now()
                article.published_at_is_import_time = True
        else:
            article = existing
            article.source = source
        for name, value in prepared.fields.items():
            setattr(article, name, value)
        if "published_at" in prepared.fields:
            article.published_at_is_import_time = False
        article.save()
        return (CREATED if existing is None else UPDATED), article
