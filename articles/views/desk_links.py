"""What of a member's desk answers without a session: their private feed (a secret URL) and the
one-click unsubscribe link in their mail (a signed token); and the stylesheet that marks the
articles they have read in every list, so that the lists themselves stay shared pages."""

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .. import access, languages
from ..actions import desk as actions
from ..desk import digests, news
from ..models import Desk, Follow, ReadMark, Subject
from .feeds import AtomWithLanguages, LatestArticlesFeed

READ_MARKED = 500  # the newest read articles the stylesheet marks


class PrivateFeed(LatestArticlesFeed):
    """The newest articles of what the member follows. Their text is what they may read
    (access.reading): in full while their membership is active, else the free text."""

    title = "newsreader: your desk"
    description = "The newest articles in what you follow on newsreader."
    link = "/desk/"

    def get_object(self, request, token):
        super().get_object(request)
        desk = Desk.objects.select_related("user").filter(feed_token=token).first()
        if desk is None or not desk.user.is_active:
            raise Http404("No such feed")
        self._reader = desk.user
        return desk.user

    def items(self, user):
        follows = list(Follow.objects.filter(user=user).exclude(kind=Subject.THREAD))
        return news.newest_articles(follows, user, count=30)

    def item_description(self, article):
        if article.is_link:  # a headline without text of ours, as in every feed
            return super().item_description(article)
        reading = access.reading(article, self._reader)
        direction = ' dir="rtl"' if languages.is_right_to_left(article.language) else ""
        text = f'<div lang="{escape(article.language)}"{direction}>{reading.html}</div>'
        return text + ("<p>(The rest is for members.)</p>" if reading.withheld else "")

    def item_categories(self, article):
        return []

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        response["X-Robots-Tag"] = "noindex"
        return response


class PrivateAtomFeed(PrivateFeed):
    feed_type = AtomWithLanguages
    subtitle = PrivateFeed.description


@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries no token; the signed link is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a page with one button (a link checker opening the link changes nothing); POST, from
    that button or from a mail client's List-Unsubscribe-Post: done. No sign-in needed."""
    user_id = digests.user_id_of(token)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        raise Http404("This unsubscribe link is not one of ours.")
    done = request.method == "POST"
    if done:
        actions.unsubscribe(user.pk)
    return render(request, "desk/unsubscribe.html", {"done": done, "token": token, "address": user.email})


@require_safe
def read_marks(request):
    """A stylesheet marking the articles the signed-in reader has read, by id, in any list."""
    ids = []
    if request.user.is_authenticated:
        ids = list(ReadMark.objects.filter(user=request.user).order_by("-read_at").values_list("article_id", flat=True)[:READ_MARKED])
    read = ",".join(f'[data-article-id="{pk}"]' for pk in ids)
    css = f":is({read}) .read-mark {{ display: inline; }}\n:is({read}) .article-item__title a {{ color: var(--ink-soft); }}\n" if ids else ""
    response = HttpResponse(css, content_type="text/css")
    patch_cache_control(response, private=True, no_cache=True)
    return response
