"""The article page with its comments section, as the article view and every comment action
render it (a comment refused without JavaScript shows the page again with the reason)."""

from typing import NamedTuple

from django.shortcuts import render
from django.utils import timezone

from .. import access, pagecache
from ..actions import metering
from ..elements import COMMENTS
from ..forms import CommentForm
from ..models import Comment, Follow, Story, Subject
from . import following, seo

SECTION = "articles/article_detail.html#comments"


def newest_first(request) -> bool:
    return (request.POST.get("order") or request.GET.get("order")) == "newest"


class ShownComment(NamedTuple):
    """A comment as one reader sees it: with the controls they may use."""

    comment: Comment
    editable: bool
    deletable: bool


class ShownThread(NamedTuple):
    comment: ShownComment
    replies: list[ShownComment]
    reply_form: CommentForm | None  # for readers who may comment, under a comment not hidden


def section_context(request, article, *, form=None, error="") -> dict:
    """What the comments partial needs, for the article page and for every htmx answer."""
    user = request.user
    can_comment, now, authors = access.can_comment(user), timezone.now(), set()

    def shown(comment):
        authors.add(comment.user_id)
        return ShownComment(comment, access.can_edit_comment(user, comment, now), access.can_delete_comment(user, comment))

    threads = [
        ShownThread(shown(thread.comment), [shown(reply) for reply in thread.replies],
                    CommentForm.for_reply(thread.comment) if can_comment and not thread.comment.hidden else None)
        for thread in Comment.objects.threads(
            article, newest_first=newest_first(request), include_hidden=access.can_moderate(user)
        )
    ]
    pagecache.personal_for(request, authors)  # their own comments carry controls for them alone
    # A reader who took part is shown a page of their own anyway: it may say which threads they follow.
    took_part = user.is_authenticated and user.pk in authors
    return {
        "thread_follows": followed_threads(user, article) if took_part else None,
        "article": article,
        "threads": threads,
        "order": "newest" if newest_first(request) else "oldest",
        "form": form or CommentForm(),
        "error": error,
        "can_comment": can_comment,
        "can_moderate": access.can_moderate(user),
        "refusal": access.commenting_refusal(user),
        # Readers who could become members are invited to; a banned or lapsed one is told why not.
        "invite": access.member_state(user) in (access.MemberState.ANONYMOUS, access.MemberState.NON_MEMBER)
        and not access.ban_reason(user),
    }


def followed_threads(user, article) -> set[int]:
    """The discussions under this article that the reader follows: their first comments' ids."""
    keys = Follow.objects.filter(user=user, kind=Subject.THREAD, key__startswith=f"{article.slug}/").values_list("key", flat=True)
    return {int(key.rpartition("/")[2]) for key in keys}


def section_url(request, article) -> str:
    query = "?order=newest" if newest_first(request) else ""
    return f"{article.get_absolute_url()}{query}#{COMMENTS}"


def story_of(article) -> Story | None:
    """The story the article belongs to, when it has two articles or more, with `others`: how
    many other outlets reported it."""
    story = Story.objects.shown().filter(links__article=article).first()
    if story is not None:
        story.others = story.outlet_count - 1 if article.source_id else story.outlet_count
    return story


def render_article_page(request, article, comments_context, *, status=200):
    reading = access.reading(article, request.user)
    if reading.metered:
        metering.record_read(request.user, article)
    context = comments_context | {
        "story": story_of(article),
        "reading": reading,
        "country_tags": article.country_tags.select_related("country"),
        "actor_tags": article.actor_tags.select_related("actor"),
        "meta": seo.article_meta(request, article),
        "bookmarked": following.opened_article(request, article.slug) == "bookmarked",
    }
    return render(request, "articles/article_detail.html", context, status=status)
