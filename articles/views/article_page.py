"""The article page with its comments section, as the article view and every comment action
render it (a comment refused without JavaScript shows the page again with the reason)."""

from django.shortcuts import render
from django.utils import timezone

from .. import access, pagecache
from ..elements import COMMENTS
from ..forms import CommentForm
from ..models import Comment
from . import seo

SECTION = "articles/article_detail.html#comments"


def newest_first(request) -> bool:
    return (request.POST.get("order") or request.GET.get("order")) == "newest"


def section_context(request, article, *, form=None, error="") -> dict:
    """What the comments partial needs, for the article page and for every htmx answer."""
    user = request.user
    thread = Comment.objects.thread(
        article, newest_first=newest_first(request), include_hidden=access.can_moderate(user)
    )
    now, authors = timezone.now(), set()
    for comment in thread:
        for shown in [comment, *comment.thread_replies]:
            shown.editable = access.can_edit_comment(user, shown, now)
            shown.deletable = access.can_delete_comment(user, shown)
            authors.add(shown.user_id)
    pagecache.personal_for(request, authors)  # their own comments carry controls for them alone
    return {
        "article": article,
        "thread": thread,
        "order": "newest" if newest_first(request) else "oldest",
        "form": form or CommentForm(),
        "error": error,
        "can_comment": access.can_comment(user),
        "can_moderate": access.can_moderate(user),
        "comment_ban": access.comment_ban(user),
    }


def section_url(request, article) -> str:
    query = "?order=newest" if newest_first(request) else ""
    return f"{article.get_absolute_url()}{query}#{COMMENTS}"


def render_article_page(request, article, comments_context, *, status=200):
    context = comments_context | {
        "reading": access.reading(article, request.user),
        "country_tags": article.country_tags.select_related("country"),
        "actor_tags": article.actor_tags.select_related("actor"),
        "meta": seo.article_meta(request, article),
    }
    return render(request, "articles/article_detail.html", context, status=status)
