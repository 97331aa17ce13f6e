"""The discussion under an article: list, post, reply, edit, delete, and staff moderation.

Every action works as a plain form post (Post/Redirect/Get back to `#comments`) and, with
htmx, answers the comments section alone (the `comments` partial of the article template).
Who may do what is decided in access.py.
"""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import access, pagecache
from ..actions.comments import PostingTooFast, edit_comment, hide_comment, post_comment, remove_comment
from ..actions.moderation import ban_commenter
from ..desk import replies
from ..forms import CommentBodyForm, CommentForm
from ..mail import mail_after_response
from ..models import Article, Comment
from .article_page import SECTION, render_article_page, section_context, section_url


def answer(request, article, *, form=None, error="", status=200):
    """The section alone for htmx; otherwise back to the page (PRG), or the page with the errors."""
    if request.htmx:
        context = section_context(request, article, form=form, error=error)
        return render(request, SECTION, context, status=status)
    if status >= 400:
        return render_article_page(request, article, section_context(request, article, form=form, error=error), status=status)
    return redirect(section_url(request, article))


def refuse(request, article, message):
    """A post from someone who may not make it: sign in first, or 403 with the reason (for htmx,
    in plain text, which static/js/errors.js shows at the form that made the request)."""
    if request.htmx:
        return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
    if not request.user.is_authenticated:
        return redirect_to_login(section_url(request, article))
    return render_article_page(request, article, section_context(request, article, error=message), status=403)


@require_http_methods(["GET", "HEAD", "POST"])
@pagecache.shared_page(order={"newest", "oldest"})
def comment_list(request, slug):
    if request.method != "POST":
        article = get_object_or_404(Article.objects.only("slug", "comment_count"), slug=slug)
        return render(request, SECTION, section_context(request, article))
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    if not access.can_comment(request.user):
        return refuse(request, article, access.commenting_refusal(request.user))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return answer(request, article, form=form, status=422)
    parent = None
    if form.cleaned_data["parent"]:
        parent = Comment.objects.visible().filter(article=article, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            form.add_error(None, "The comment you replied to is no longer there.")
            return answer(request, article, form=form, status=422)
    body = form.cleaned_data["body"]
    try:
        comment = post_comment(article=article, user=request.user, body=body, parent=parent)
    except PostingTooFast:
        limit = settings.NEWSREADER_COMMENTS_PER_MINUTE
        form.add_error(None, f"You are posting quickly: at most {limit} comments a minute. Wait a moment, then post again.")
        return answer(request, article, form=form, status=429)
    article.refresh_from_db(fields=["comment_count"])
    response = answer(request, article)
    if parent is not None:  # its author and the discussion's followers hear of it (articles/desk/replies.py)
        site = request.build_absolute_uri("/").rstrip("/")
        return mail_after_response(response, functools.partial(replies.tell_of_reply, comment.pk, site))
    return response


def article_comment(slug, pk):
    return get_object_or_404(
        Comment.objects.select_related("article", "article__source"), pk=pk, article__slug=slug
    )


@require_http_methods(["GET", "POST"])
def comment_edit(request, slug, pk):
    comment = article_comment(slug, pk)
    if not access.can_edit_comment(request.user, comment):
        if comment.user_id == request.user.pk and not access.can_comment(request.user):
            message = access.commenting_refusal(request.user)  # a lapsed or banned author: say that, not the window
        else:
            message = f"Comments can be edited by their author for {settings.NEWSREADER_COMMENT_EDIT_MINUTES} minutes after posting."
        return render(request, "articles/comment_edit.html", {"comment": comment, "refused": message}, status=403)
    form = CommentBodyForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        edit_comment(comment, body=form.cleaned_data["body"])
        return answer(request, comment.article)
    status = 422 if request.method == "POST" else 200
    return render(request, "articles/comment_edit.html", {"comment": comment, "form": form}, status=status)


def comment_action(allowed, refusal):
    """A POST about one comment, by someone `allowed(user, comment)`; refused with `refusal` otherwise."""

    def decorate(view):
        @require_POST
        @functools.wraps(view)
        def wrapper(request, slug, pk):
            comment = article_comment(slug, pk)
            if not allowed(request.user, comment):
                return refuse(request, comment.article, refusal)
            return view(request, comment)

        return wrapper

    return decorate


def moderator(user, comment):
    return access.can_moderate(user)


@comment_action(access.can_delete_comment, "Only its author or a moderator can delete a comment.")
def comment_delete(request, comment):
    remove_comment(comment)
    comment.article.refresh_from_db(fields=["comment_count"])
    return answer(request, comment.article)


@comment_action(moderator, "Only moderators can hide comments.")
def comment_hide(request, comment):
    hide_comment(comment, hidden=request.POST.get("hidden") != "0")
    comment.article.refresh_from_db(fields=["comment_count"])
    return answer(request, comment.article)


@comment_action(moderator, "Only moderators can ban members from commenting.")
def ban_comment_author(request, comment):
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return answer(request, comment.article, error="Give a reason for the ban: the member is shown it.", status=422)
    ban_commenter(comment.user, reason=reason, by=request.user)
    return answer(request, comment.article)
