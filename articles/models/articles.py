import datetime as dt
import json
from urllib.parse import urlsplit

import pycountry
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator, URLValidator
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from .search import config_case, search_vector

# A language tag as stored (BCP 47, normalised by articles/languages.py): a lower-case ISO 639
# language, then subtags (a script, a region): "en", "ru", "zh-Hant", "pt-BR".
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host: the only link an article may hold to its original
    (never `javascript:`, `data:` or a relative path, which would point into this site)."""
    if not url.lower().startswith(("http://", "https://")):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # a malformed address ("http://[")
        return False


def home_of(country: str = "", language: str = "") -> dict:
    """A publisher's home as stored ({"country_id": "td", "language": "fr"}, only what is given),
    from ISO 3166 alpha-2 and ISO 639-1 codes in any case; ValueError naming a bad one."""
    home = {}
    if country := country.strip():
        if not (len(country) == 2 and pycountry.countries.get(alpha_2=country.upper())):
            raise ValueError(f"country {country!r} is not an ISO 3166 alpha-2 code")
        home["country_id"] = country.lower()
    if language := language.strip():
        if not (len(language) == 2 and pycountry.languages.get(alpha_2=language.lower())):
            raise ValueError(f"language {language!r} is not an ISO 639-1 code")
        home["language"] = language.lower()
    return home


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


class Source(models.Model):
    """A publisher whose articles we carry."""

    name = models.CharField(max_length=200, unique=True)
    site_url = models.URLField(max_length=500, blank=True)
    # Its home: which country's outlet it is, and the language it publishes in (story coverage
    # and blindspots count outlets by these).
    country = models.ForeignKey(
        "Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="publishers",
        help_text="The country the outlet is based in.",
    )
    language = models.CharField(
        max_length=8, blank=True, validators=[RegexValidator("^[a-z]{2}$", "Give an ISO 639-1 code, e.g. en.")],
        help_text="ISO 639-1, e.g. en, fr.",
    )
    description = models.CharField(max_length=300, blank=True, help_text="One line about the outlet.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# Matches a search expects at most to take them all from its GIN index and sort them (newest_ids):
# about where that costs what reading the date index backwards costs (docs/performance.md).
FEW_MATCHES = 20_000


class ArticleQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def for_list(self):
        """What a list item shows, without the article texts, with its country tags (one query),
        each text once: another outlet's copy of it is left out and named beside it."""
        return (
            self.newest_first()
            .originals()
            .select_related("source")
            .only(
                "title", "slug", "dek", "excerpt", "author", "published_at", "access", "is_link", "language",
                "comment_count", "reading_minutes", "source__name",
            )
            .with_copies_named()
            .with_country_tags()
        )

    def originals(self):
        """Without the articles that are another outlet's copy of one stored before (the same wire
        text republished; docs/stories.md)."""
        from .stories import StoryArticle  # stories' models refer to Article

        return self.filter(~models.Exists(StoryArticle.objects.copies().filter(article=models.OuterRef("pk"))))

    def with_copies_named(self):
        """`also_published_by`: the publishers of its copies, first published first (in the same query)."""
        from .stories import StoryArticle

        copies = StoryArticle.objects.filter(duplicate_of=models.OuterRef("pk"), source__isnull=False)
        return self.annotate(
            also_published_by=ArraySubquery(copies.order_by("published_at", "article_id").values("source__name"))
        )

    def with_country_tags(self):
        """Each article's country tags, most mentioned first, in one more query."""
        from .geo import ArticleCountry  # geo's models refer to Article

        tags = ArticleCountry.objects.select_related("country").only(
            "article_id", "mentions", "country__code", "country__name"
        )
        return self.prefetch_related(models.Prefetch("country_tags", queryset=tags))

    def readings(self, *texts: str, also: str) -> list[list[str]]:
        """Each of these websearch queries as PostgreSQL reads it in the configuration of every
        language articles are written in and of `also` (the site's): its distinct readings, as
        tsquery text, without the empty ones (stop words only), in one query."""
        reads = ", ".join(f"websearch_to_tsquery({config_case('language')}, %s)::text" for _ in texts)
        sql = (
            f"{self._languages_sql()}, languages(language) AS (SELECT language FROM found WHERE language IS NOT NULL"
            f" UNION SELECT %s) SELECT DISTINCT {reads} FROM languages"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [also, *texts])
            rows = cursor.fetchall()
        return [sorted({row[n] for row in rows} - {""}) for n in range(len(texts))]

    def _languages_sql(self) -> str:
        """`found`: the languages articles are written in, one probe of the article_language index
        each (a loose index scan: DISTINCT would read the whole index)."""
        table = self.model._meta.db_table
        return f"""WITH RECURSIVE found(language) AS (
            SELECT min(language) FROM {table}
            UNION ALL
            SELECT (SELECT min(language) FROM {table} WHERE language > found.language)
            FROM found WHERE found.language IS NOT NULL
        )"""

    def matching(self, query, vectors, *, country=None, since=None, until=None):
        """Articles whose vectors (the reader's: access.search_scope) match a search query
        (models/search.py ReadQuery), in a country and between two days if given: a search, and a
        saved one on a member's desk."""
        from .geo import ArticleCountry

        matches = Q()
        for vector in vectors:
            matches |= Q(**{vector: query})
        articles = self.filter(matches)
        if country is not None:
            articles = articles.filter(models.Exists(ArticleCountry.objects.filter(article_id=models.OuterRef("pk"), country=country)))
        if since:
            articles = articles.filter(published_at__gte=_start_of(since))
        if until:
            articles = articles.filter(published_at__lt=_start_of(until + dt.timedelta(days=1)))
        return articles

    def expects_few(self) -> bool:
        """Whether PostgreSQL expects at most FEW_MATCHES of these (one EXPLAIN)."""
        return json.loads(self.order_by().explain(format="json"))[0]["Plan"]["Plan Rows"] <= FEW_MATCHES

    def newest_first_once_found(self):
        """Newest first, sorted once they are all found: for a search expected to match few
        (`expects_few`, a rare word), which is read from its GIN index. Ordered by the date, the
        planner reads the date index backwards instead, testing each article's stored vector on
        the way until enough match (68 s at a million articles for a rare word: docs/performance.md)."""
        # The date plus nothing is an order no index gives, so the planner cannot choose to read one.
        unindexed = models.ExpressionWrapper(F("published_at") + dt.timedelta(0), output_field=models.DateTimeField())
        return self.order_by(unindexed.desc(), "-id")

    def newest_ids(self, limit: int) -> list[int]:
        """The ids of the `limit` newest of these articles (a search's matches): for many, read off
        the date index backwards until enough match; for few, all found first, then sorted."""
        return list(self.newest_first_for(few=self.expects_few()).values_list("pk", flat=True)[:limit])

    def newest_first_for(self, *, few: bool):
        """Newest first, read the way that suits how many match (`expects_few`)."""
        return self.newest_first_once_found() if few else self.newest_first()

    def mentioning(self, *codes):
        """Articles tagged with every one of these countries, newest first by the first one's
        tag rows (one range scan of the article_country_newest index)."""
        from .geo import ArticleCountry

        first, *others = codes
        articles = self.filter(country_tags__country_id=first)
        for code in others:
            articles = articles.filter(
                models.Exists(ArticleCountry.objects.filter(article_id=models.OuterRef("pk"), country_id=code))
            )
        return articles.order_by("-country_tags__published_at", "-country_tags__article_id")


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vectors are for PostgreSQL to match against; never worth loading.
        return super().get_queryset().defer("search_public", "search_members")


class Access(models.TextChoices):
    FREE = "free", "Free"
    MEMBERS = "members", "Members only"


# The constraints below name the values (a nested class is out of reach of Meta).
ACCESS_VALUES, MEMBERS_ONLY = Access.values, Access.MEMBERS.value


class Article(models.Model):
    Access = Access

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.TextField(blank=True, help_text="The standfirst under the title, if the source has one.")
    excerpt = models.TextField(blank=True, help_text="The opening of the free text, for lists.")
    author = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    source_url = models.URLField(max_length=1000, blank=True, validators=[URLValidator(schemes=["http", "https"])])
    guid = models.CharField(
        "feed guid", max_length=1000, blank=True, help_text="The feed entry's id: its identity when a feed gives one."
    )
    published_at = models.DateTimeField()
    published_at_is_import_time = models.BooleanField(
        default=False, help_text="The source gave no date; this is when it was imported."
    )
    access = models.CharField(max_length=10, choices=Access, default=Access.MEMBERS)
    language = models.CharField(
        max_length=35, default="en", validators=[RegexValidator(LANGUAGE_TAG, "Give a language tag: en, ru, zh-Hant, pt-BR …")],
        help_text="The language it is written in, as a BCP 47 tag (en, ru, ar, zh-Hant, pt-BR): its pages, "
        "search and tagging follow it.",
    )
    language_detected = models.BooleanField(
        default=False, help_text="Detected from the text: its input did not say (an editor's choice is kept on re-import)."
    )
    # The text, rendered and sanitised once at import and split where the free preview ends:
    # members_html is never sent to a reader without an active membership (see access.py).
    free_html = models.TextField()
    members_html = models.TextField(blank=True)
    free_text = models.TextField(blank=True)
    members_text = models.TextField(blank=True)
    source_truncated = models.BooleanField(
        default=False, help_text="The source text itself ended at its publisher's paywall."
    )
    stripped_chrome = models.TextField(blank=True, help_text="Publisher chrome removed at import.")
    is_link = models.BooleanField(
        "link article", default=False,
        help_text="A headline its feed gave without text: its page shows the headline and links to the original, if any.",
    )
    text_from_page = models.BooleanField(
        default=False, help_text="Its text was fetched from the original page; its feed gave only a summary."
    )
    content_hash = models.CharField(max_length=64)
    # The fingerprint of the file it was imported from, when that held it alone (importing/known.py).
    input_hash = models.BinaryField(null=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(
        default=1, help_text="Minutes to read the whole text, worked out at import."
    )
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Full-text search, kept current by PostgreSQL in the article's language (models/search.py):
    # what everyone may search (title A, dek B, free text C), and members' text (D) apart, so that
    # a non-member's search never touches it.
    search_public = models.GeneratedField(
        expression=search_vector(("title", "A"), ("dek", "B"), ("free_text", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_members = models.GeneratedField(
        expression=search_vector(("members_text", "D")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(F("published_at").desc(), F("id").desc(), name="article_newest_first"),
            models.Index(fields=["language"], name="article_language"),
            models.Index(fields=["created_at"], name="article_stored"),  # what is new on a member's desk
            models.Index(fields=["input_hash"], name="article_input_hash", condition=Q(input_hash__isnull=False)),
            GinIndex(fields=["search_public"], name="article_search_public"),
            GinIndex(fields=["search_members"], name="article_search_members"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(access__in=ACCESS_VALUES), name="article_access_valid"),
            models.CheckConstraint(condition=Q(language__regex=LANGUAGE_TAG), name="article_language_is_a_tag"),
            models.CheckConstraint(
                condition=Q(access=MEMBERS_ONLY) | Q(members_html=""), name="article_free_has_no_members_text"
            ),
            # Rendered as the link to the original: http(s) only (is_web_url), whatever writes it.
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__istartswith="http://") | Q(source_url__istartswith="https://"),
                name="article_source_url_is_web",
            ),
            models.UniqueConstraint(
                fields=["source_url"], condition=~Q(source_url=""), name="article_unique_source_url"
            ),
            models.UniqueConstraint(fields=["guid"], condition=~Q(guid=""), name="article_unique_guid"),
            models.UniqueConstraint(
                fields=["source", "title"],
                condition=Q(source_url="", guid=""),
                nulls_distinct=False,
                name="article_unique_title_per_source_without_url_or_guid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.slug])

    @property
    def original_url(self) -> str:
        """The link to the original, for templates: only ever an http(s) URL."""
        return self.source_url if is_web_url(self.source_url) else ""

    @property
    def is_members_only(self):
        """Marked for members, whether or not its text goes past the free preview."""
        return self.access == self.Access.MEMBERS

    @property
    def is_gated(self):
        return self.is_members_only and bool(self.members_html)
