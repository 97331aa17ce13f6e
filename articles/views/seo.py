"""What search engines and link previews read: robots.txt, and an article's meta tags and
JSON-LD, all built from what anyone may read (access.public_reading). The sitemap is sitemaps.py."""

import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from .. import access
from ..importing.prepare import excerpt
from ..models import Article

SITE_NAME = "newsreader"
# The element that stands where members' text is withheld (templates/articles/article_detail.html).
GATED_SECTION_SELECTOR = ".paywall"
# JSON inside <script>: "<", ">" and "&" escaped so no text can close the element.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /search/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def description(article: Article) -> str:
    """The dek, else the opening of the free text: as long as a list's excerpt (40 words, or as
    wide in a language written without spaces)."""
    return excerpt(article.dek or access.public_reading(article).text)


def article_meta(request, article: Article) -> dict:
    """Meta tags and JSON-LD for an article's page; the same for every reader."""
    url = request.build_absolute_uri(article.get_absolute_url())
    summary = description(article)
    gated = access.public_reading(article).withheld
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(article.title).chars(110),
        "description": summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "image": [request.build_absolute_uri(static("social.png"))],
        "author": (
            [{"@type": "Person", "name": article.author}]
            if article.author
            else [{"@type": "Organization", "name": article.source.name if article.source else SITE_NAME}]
        ),
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static("apple-touch-icon.png"))},
        },
        "isAccessibleForFree": not gated,
        "inLanguage": article.language,
    }
    if gated:
        # Google's markup for paywalled content: the gated part, by the class of its element.
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": GATED_SECTION_SELECTOR,
        }
    return {
        "canonical_url": url,
        "description": summary,
        "json_ld": mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)),
    }
