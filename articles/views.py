from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import access, comments, seo
from .models import Article
from .pagecache import shared_page
from .paging import render_list


@require_safe
@shared_page
def article_list(request):
    return render_list(request, "articles/article_list.html", Article.objects.for_list())


def render_article_page(request, article, comments_context, *, status=200):
    context = comments_context | {
        "reading": access.reading(article, request.user),
        "country_tags": article.country_tags.select_related("country"),
        "actor_tags": article.actor_tags.select_related("actor"),
        "meta": seo.article_meta(request, article),
    }
    return render(request, "articles/article_detail.html", context, status=status)


@require_safe
@shared_page
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    return render_article_page(request, article, comments.section_context(request, article))
