from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import access
from .models import Article
from .paging import render_list


@require_safe
def article_list(request):
    return render_list(request, "articles/article_list.html", Article.objects.for_list())


def _comments_context(request, article):
    return {
        "article": article,
        "comments": article.comments.filter(hidden=False).select_related("user"),
        "can_comment": access.can_comment(request.user),
    }


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    context = _comments_context(request, article) | {"reading": access.reading(article, request.user)}
    return render(request, "articles/article_detail.html", context)


@require_safe
def comment_list(request, slug):
    article = get_object_or_404(Article.objects.only("slug", "comment_count"), slug=slug)
    return render(request, "articles/article_detail.html#comments", _comments_context(request, article))
