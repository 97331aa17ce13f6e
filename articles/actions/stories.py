"""Staff decisions about stories and publishers. A decision stands: the articles it places are
pinned (grouping never moves them), a renamed story keeps its title."""

from django.db import transaction

from ..models import Source, Story, StoryArticle
from ..models.articles import home_of
from ..stories.grouping import free_slugs, refresh


def set_home(source: Source, *, country: str = "", language: str = "", description: str | None = None) -> Source:
    """Set a publisher's home country and language (ISO codes; ValueError for a bad one)."""
    for name, value in home_of(country, language).items():
        setattr(source, name, value)
    if description is not None:
        source.description = description
    source.save()
    return source


def rename(story: Story, title: str) -> Story:
    """Give a story a title of staff's choosing, which grouping then keeps."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("A story needs a title.")
    story.title, story.title_locked = title, True
    story.save(update_fields=["title", "title_locked", "updated_at"])
    return story


@transaction.atomic
def merge(stories: list[Story]) -> Story:
    """One story of these: the articles of all go to the oldest one, pinned there."""
    keep, *others = sorted(stories, key=lambda story: story.pk)
    StoryArticle.objects.filter(story__in=[keep, *others]).update(story=keep, pinned=True)
    refresh({keep.pk} | {story.pk for story in others})
    keep.refresh_from_db()
    return keep


@transaction.atomic
def split(article_ids: list[int], *, title: str = "") -> Story | None:
    """Take these articles out of their stories: together into a new story of their own (named
    `title` when given), or, one alone, standing alone; pinned, so grouping leaves them so."""
    links = list(StoryArticle.objects.filter(article_id__in=article_ids).select_related("article"))
    old = {link.story_id for link in links}
    story = None
    if len(links) > 1:
        first = min(links, key=lambda link: link.published_at)
        name = title or first.article.title
        story = Story.objects.create(title=name, slug=free_slugs([name])[0], title_locked=bool(title))
    StoryArticle.objects.filter(article_id__in=[link.article_id for link in links]).update(story=story, pinned=True)
    refresh(old | ({story.pk} if story else set()))
    if story is not None:
        story.refresh_from_db()
    return story
