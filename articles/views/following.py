"""The follow and bookmark buttons on shared pages, and what a signed-in reader's opening an article
records. A button's state is the reader's own, so it is part of the page cache's key
(`shared_page(reader_part=…)`): a page is kept once per audience and state, never per reader, and
an anonymous page shows a "sign in to follow" link, the same for everyone."""

from .. import readers
from ..actions import desk
from ..desk.subjects import search_key
from ..forms import SearchForm
from ..models import Subject


def is_following(request, kind: str, key: str) -> bool:
    """Whether the signed-in reader follows this subject (readers.followed: kept with their account)."""
    return request.user.is_authenticated and (kind, key) in readers.followed(request)


def follow_button(request, kind: str, key: str, label: str, here: str = "") -> dict:
    """What templates/desk/_follow.html needs; `here`, the page it is on (by default, the page's
    address as the cache keeps it: the query parameters the view reads, no others)."""
    here = here or (f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    return {"kind": kind, "key": key, "label": label, "following": is_following(request, kind, key), "next": here}


def following_part(kind: str, key_of):
    """A `reader_part` for a page of one subject: its key from the view's arguments."""

    def part(request, *args, **kwargs) -> str:
        key = key_of(request, *args, **kwargs)
        return "following" if key and is_following(request, kind, key) else ""

    return part


def search_key_of(request) -> str:
    """The saved-search key of the search a page shows ("" when none is asked)."""
    return searched_key(SearchForm(request.GET or None))


def searched_key(form: SearchForm) -> str:
    """The saved-search key of a search form's query and filters ("" when it asks none)."""
    if not form.is_valid() or not form.cleaned_data["q"].split():
        return ""
    data = form.cleaned_data
    return search_key(data["q"], data["country"].code if data["country"] else "", data["since"], data["until"])


def opened_article(request, slug: str) -> str:
    """A signed-in reader opens an article: it is marked read for them, and their bookmark's state
    named ("bookmarked" or ""). Once a request, whether the page comes from the cache or not."""
    if not request.user.is_authenticated:
        return ""
    if not hasattr(request, "_opened_article"):
        request._opened_article = "bookmarked" if desk.opened(request.user, slug) else ""
    return request._opened_article


def country_key(request, code) -> str:
    return code


def pair_key(request, code_a, code_b) -> str:
    return f"{code_a}/{code_b}" if code_a < code_b else ""


def slug_key(request, slug) -> str:
    return slug


COUNTRY = following_part(Subject.COUNTRY, country_key)
PAIR = following_part(Subject.PAIR, pair_key)
ACTOR = following_part(Subject.ACTOR, slug_key)
STORY = following_part(Subject.STORY, slug_key)
SEARCH = following_part(Subject.SEARCH, search_key_of)
