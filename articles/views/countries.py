"""Country pages: every country with articles, one country's articles, and two countries'."""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from ..models import Article, ArticleCountry, Country, Story, Subject
from ..pagecache import shared_page
from . import following
from .paging import render_list
from .stories import top_stories

RELATED_COUNTRIES = 12
# The country's newest articles its companions are counted in: the page's cost stays the same
# however large the archive grows (over every article it was 0.36 s at 100,000, on each change).
RELATED_FROM = 1000
TIMELINE_MONTHS = 24


@require_safe
@shared_page()
def country_list(request):
    countries = (
        Country.objects.annotate(article_count=Count("article_tags"))
        .filter(article_count__gt=0)
        .order_by("region", "name")
    )
    return render(request, "articles/country_list.html", {"countries": countries})


@require_safe
@shared_page("page", reader_part=following.COUNTRY)
def country_detail(request, code):
    country = get_object_or_404(Country, code=code)
    latest = ArticleCountry.objects.filter(country=country).order_by("-published_at", "-article_id")
    related = (
        ArticleCountry.objects.filter(article_id__in=latest.values("article_id")[:RELATED_FROM])
        .exclude(country=country)
        .values("country_id", "country__name")
        .annotate(article_count=Count("pk"))
        .order_by("-article_count", "country__name")[:RELATED_COUNTRIES]
    )
    articles = Article.objects.for_list().mentioning(country.code)
    context = {"country": country, "related": related, "related_from": RELATED_FROM, "stories": stories_of(request, country.code),
               "button": following.follow_button(request, Subject.COUNTRY, country.code, country.name)}
    return render_list(request, "articles/country_detail.html", articles, context)


def stories_of(request, *codes) -> list[Story]:
    """The most covered recent stories about these countries, on a list's first page."""
    if request.GET.get("page", "1") != "1" or request.htmx:
        return []
    return top_stories(Story.objects.recent().mentioning(*codes))


@require_safe
@shared_page("page", reader_part=following.PAIR)
def country_pair(request, code_a, code_b):
    countries = {c.code: c for c in Country.objects.filter(code__in=[code_a, code_b])}
    if code_a not in countries or code_b not in countries:
        raise Http404("No such country")
    if code_a == code_b:
        return redirect("country_detail", code_a, permanent=True)
    if code_a > code_b:
        return redirect("country_pair", code_b, code_a, permanent=True)
    months = (
        ArticleCountry.objects.filter(country_id=code_a, article__country_tags__country_id=code_b)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(article_count=Count("pk"))
        .order_by("-month")[:TIMELINE_MONTHS]
    )
    timeline = list(reversed(months))
    busiest = max((m["article_count"] for m in timeline), default=0)
    context = {
        "first": countries[code_a],
        "second": countries[code_b],
        "timeline": [m | {"share": round(100 * m["article_count"] / busiest)} for m in timeline],
        "stories": stories_of(request, code_a, code_b),
        "button": following.follow_button(
            request, Subject.PAIR, f"{code_a}/{code_b}", f"{countries[code_a].name} and {countries[code_b].name}"
        ),
    }
    return render_list(request, "articles/country_pair.html", Article.objects.for_list().mentioning(code_a, code_b), context)
