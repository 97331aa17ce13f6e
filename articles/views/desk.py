"""A member's desk (/desk/): what they follow with what is new since their last visit, their
bookmarks and replies, their digest; and the forms that change them (each works without
JavaScript, and answers htmx with the button it swaps). Everything here is the member's alone:
every view is behind the sign-in, and reads and writes the signed-in reader's rows only."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .. import access, readers
from ..actions import desk as actions
from ..desk import news, replies, subjects
from ..forms import DigestForm, SearchForm
from ..models import Actor, Article, Bookmark, Comment, Country, Follow, ReadMark, Story, Subject
from .accounts import safe_next
from .following import follow_button

BOOKMARKS_SHOWN = 50


@login_required
@require_safe
def desk_page(request):
    desk = actions.visit_desk(request.user)
    follows = list(Follow.objects.filter(user=request.user).exclude(kind=Subject.THREAD))
    bookmarks = Bookmark.objects.filter(user=request.user).select_related("article", "article__source").only(
        "created_at", "article__title", "article__slug", "article__language", "article__published_at",
        "article__source__name",
    ).order_by("-created_at")[:BOOKMARKS_SHOWN]
    context = {
        "desk": desk,
        "followed": news.desk_news(follows, request.user, visited_at=desk.visited_at),
        "bookmarks": bookmarks,
        "replies": replies.replies_for(request.user),
        "threads": Follow.objects.filter(user=request.user, kind=Subject.THREAD),
        "digest_form": DigestForm(initial={"digest": desk.digest, "time_zone": desk.time_zone,
                                           "reply_emails": desk.reply_emails}),
        "state": access.member_state(request.user),
        "feed_url": request.build_absolute_uri(f"/desk/feed/{desk.feed_token}/"),
    }
    return render(request, "desk/desk.html", context)


def subject_label(kind: str, key: str) -> tuple[str, str] | None:
    """The key as stored (a search's in its fixed order) and what the desk calls the subject; None
    when there is no such subject."""
    if kind == Subject.COUNTRY:
        name = Country.objects.filter(code=key).values_list("name", flat=True).first()
        return (key, name) if name else None
    if kind == Subject.PAIR:
        codes = key.split("/")
        names = dict(Country.objects.filter(code__in=codes).values_list("code", "name"))
        if len(codes) != 2 or codes[0] >= codes[1] or len(names) != 2:
            return None
        return key, f"{names[codes[0]]} and {names[codes[1]]}"
    if kind == Subject.ACTOR:
        name = Actor.objects.filter(slug=key).values_list("name", flat=True).first()
        return (key, name) if name else None
    if kind == Subject.STORY:
        title = Story.objects.shown().filter(slug=key).values_list("title", flat=True).first()
        return (key, title) if title else None
    if kind == Subject.SEARCH:
        form = SearchForm(QueryDict(key))
        if not form.is_valid() or not form.cleaned_data["q"].split():
            return None
        data = form.cleaned_data
        country = data["country"]
        key = subjects.search_key(data["q"], country.code if country else "", data["since"], data["until"])
        return key, f"“{' '.join(data['q'].split())}”" + (f" in {country.name}" if country else "")
    if kind == Subject.THREAD:
        slug, _, comment = key.rpartition("/")
        title = Comment.objects.filter(pk=comment if comment.isdigit() else None, parent=None, article__slug=slug).values_list(
            "article__title", flat=True).first()
        return (key, f"The discussion under “{title}”") if title else None
    return None


@login_required
@require_POST
def follow(request):
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
    if request.POST.get("follow") == "0":  # whatever became of the subject (a story split up)
        label = Follow.objects.filter(user=request.user, kind=kind, key=key).values_list("label", flat=True).first() or key
        actions.unfollow(request.user, kind=kind, key=key)
    else:
        found = subject_label(kind, key)
        if found is None:
            return HttpResponseBadRequest("Nothing to follow there.")
        key, label = found
        actions.follow(request.user, kind=kind, key=key, label=label)
    if request.htmx:
        here = safe_next(request, subjects.path(kind, key))
        button = follow_button(request, kind, key, request.POST.get("label", "")[:300] or label, here)
        response = render(request, "desk/_follow.html", {"button": button})
    else:
        response = redirect(safe_next(request, subjects.path(kind, key)))
    readers.mark_follows_changed(response)
    return response


@login_required
@require_POST
def bookmark(request):
    article = Article.objects.filter(slug=request.POST.get("slug", "")).only("id", "slug").first()
    if article is None:
        raise Http404("No such article")
    keep = request.POST.get("keep") != "0"
    actions.bookmark(request.user, article, keep=keep)
    if request.htmx:
        return render(request, "desk/_bookmark.html", {"article": article, "bookmarked": keep})
    return redirect(safe_next(request, article.get_absolute_url()))


@login_required
@require_POST
def digest(request):
    form = DigestForm(request.POST)
    if not form.is_valid():
        return render(request, "desk/digest_form.html", {"digest_form": form}, status=422)
    data = form.cleaned_data
    actions.set_digest(request.user, digest=data["digest"], time_zone=data["time_zone"], reply_emails=data["reply_emails"])
    return redirect("desk")


@login_required
@require_POST
def alert(request, pk):
    actions.set_alert(request.user, pk, alert=request.POST.get("alert") == "1")
    return redirect("desk")


@login_required
@require_POST
def reset_feed(request):
    actions.reset_feed(request.user)
    return redirect("desk")


@login_required
@require_safe
def export(request):
    """Everything the desk holds of the member, as JSON."""
    user = request.user
    desk = actions.desk_of(user)
    data = {
        "user": user.get_username(),
        "digest": desk.digest,
        "time_zone": desk.time_zone,
        "reply_emails": desk.reply_emails,
        "follows": [
            {"kind": follow.kind, "key": follow.key, "label": follow.label, "alert": follow.alert,
             "since": follow.created_at.isoformat()}
            for follow in Follow.objects.filter(user=user)
        ],
        "bookmarks": [
            {"article": slug, "since": at.isoformat()}
            for slug, at in Bookmark.objects.filter(user=user).order_by("created_at").values_list("article__slug", "created_at")
        ],
        "read": [
            {"article": slug, "at": at.isoformat()}
            for slug, at in ReadMark.objects.filter(user=user).order_by("read_at").values_list("article__slug", "read_at")
        ],
    }
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="newsreader-desk.json"'
    return response


@login_required
@require_POST
def forget(request):
    actions.forget(request.user)
    response = redirect("desk")
    readers.mark_follows_changed(response)
    return response
