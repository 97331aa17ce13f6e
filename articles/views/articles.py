from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from ..models import Article
from ..pagecache import shared_page
from . import following
from .article_page import render_article_page, section_context
from .paging import render_list
from .stories import top_stories


@require_safe
@shared_page("page")
def article_list(request):
    first_page = request.GET.get("page", "1") == "1" and not request.htmx
    context = {"stories": top_stories() if first_page else []}
    return render_list(request, "articles/article_list.html", Article.objects.for_list(), context)


@require_safe
@shared_page(reader_part=following.opened_article, order={"newest", "oldest"})
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    return render_article_page(request, article, section_context(request, article))
