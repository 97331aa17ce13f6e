"""Feed sources in and out as OPML (the subscription list every feed reader exports): each
`<outline xmlUrl="…">`, at any depth (folders are outlines too), is a feed source; an address
already known is left as it is, one that is not an http(s) URL is refused with the reason."""

import datetime as dt
from dataclasses import dataclass, field
from email.utils import format_datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree

from ..models import FeedSource
from ..models.articles import is_web_url


@dataclass
class OpmlOutcome:
    """What an OPML import did: the feed addresses added, those already there, those refused (and why)."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self):
        return f"{len(self.created)} feed sources added, {len(self.existing)} already there, {len(self.refused)} refused"


class OpmlError(ValueError):
    """The file is not OPML that can be read; the message is for a person."""


def feed_urls(data: bytes) -> list[str]:
    """The feed addresses an OPML file lists, in order, once each. No entity is expanded and nothing
    is fetched: an OPML file is someone else's XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise OpmlError(f"it is not XML that can be read ({error})") from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise OpmlError("it is not an OPML file (its root element is not <opml>)")
    urls = []
    for outline in root.iter("{*}outline"):
        attributes = {name.lower(): value for name, value in outline.attrib.items()}
        if url := (attributes.get("xmlurl") or "").strip():
            urls.append(url)
    return list(dict.fromkeys(urls))


def import_opml(data: bytes, *, dry_run: bool = False) -> OpmlOutcome:
    outcome = OpmlOutcome()
    urls = feed_urls(data)
    known = set(FeedSource.objects.filter(url__in=urls).values_list("url", flat=True))
    limit = FeedSource._meta.get_field("url").max_length
    with transaction.atomic():
        for url in urls:
            if url in known:
                outcome.existing.append(url)
                continue
            feed = FeedSource(url=url)
            try:
                if not is_web_url(url):
                    raise ValidationError("it is not an http:// or https:// address")
                if len(url) > limit:
                    raise ValidationError(f"it is longer than {limit} characters")
                feed.full_clean(validate_unique=False)
            except ValidationError as error:
                outcome.refused.append((url, "; ".join(error.messages)))
                continue
            if not dry_run:
                feed.save()
            outcome.created.append(url)
    return outcome


def export_opml(feeds, *, now: dt.datetime) -> bytes:
    """An OPML 2.0 file of these feed sources, each titled by its publisher where it has one."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = "newsreader feed sources"
    etree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = etree.SubElement(opml, "body")
    for feed in feeds:
        name = feed.source.name if feed.source else feed.url
        outline = etree.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=feed.url)
        if feed.source and feed.source.site_url:
            outline.set("htmlUrl", feed.source.site_url)
    return etree.tostring(opml, xml_declaration=True, encoding="UTF-8", pretty_print=True)
