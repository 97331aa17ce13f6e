"""An actor's page: the articles that mention an organisation or an official, newest first."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from ..models import Actor, Article, Subject
from ..pagecache import shared_page
from . import following
from .paging import render_list


@require_safe
@shared_page("page", reader_part=following.ACTOR)
def actor_detail(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    articles = Article.objects.for_list().filter(actor_tags__actor=actor)
    context = {"actor": actor, "button": following.follow_button(request, Subject.ACTOR, actor.slug, actor.name)}
    return render_list(request, "articles/actor_detail.html", articles, context)
