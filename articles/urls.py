from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from .pagecache import shared_page
from .sitemaps import SITEMAPS
from .views import (
    accounts,
    actors,
    articles,
    billing,
    comments,
    countries,
    desk,
    desk_links,
    feeds,
    gifts,
    payments,
    search,
    seo,
    stories,
)


class CountryCodeConverter:
    """An ISO 3166 alpha-2 code in lower case."""

    regex = "[a-z]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CountryCodeConverter, "code")

urlpatterns = [
    path("", articles.article_list, name="article_list"),
    path("articles/<slug:slug>/", articles.article_detail, name="article_detail"),
    path("articles/<slug:slug>/comments/", comments.comment_list, name="comments"),
    path("articles/<slug:slug>/comments/<int:pk>/edit/", comments.comment_edit, name="comment_edit"),
    path("articles/<slug:slug>/comments/<int:pk>/delete/", comments.comment_delete, name="comment_delete"),
    path("articles/<slug:slug>/comments/<int:pk>/hide/", comments.comment_hide, name="comment_hide"),
    path("articles/<slug:slug>/comments/<int:pk>/ban/", comments.ban_comment_author, name="ban_comment_author"),
    path("search/", search.search, name="search"),
    path("stories/", stories.story_list, name="story_list"),
    path("stories/feed/", shared_page()(stories.StoriesFeed.as_view()), name="story_feed"),
    path("stories/<slug:slug>/", stories.story_detail, name="story_detail"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<code:code>/", countries.country_detail, name="country_detail"),
    path("countries/<code:code_a>/<code:code_b>/", countries.country_pair, name="country_pair"),
    path("countries/<code:code>/feed/", shared_page()(feeds.CountryFeed.as_view()), name="country_feed"),
    path("feed/", shared_page()(feeds.LatestArticlesFeed.as_view()), name="feed_rss"),
    path("feed/atom/", shared_page()(feeds.LatestArticlesAtomFeed.as_view()), name="feed_atom"),
    path("sitemap.xml", shared_page("p")(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("actors/<slug:slug>/", actors.actor_detail, name="actor_detail"),
    path("desk/", desk.desk_page, name="desk"),
    path("desk/follow/", desk.follow, name="follow"),
    path("desk/bookmark/", desk.bookmark, name="bookmark"),
    path("desk/digest/", desk.digest, name="digest"),
    path("desk/alerts/<int:pk>/", desk.alert, name="alert"),
    path("desk/feed/reset/", desk.reset_feed, name="reset_feed"),
    path("desk/export.json", desk.export, name="desk_export"),
    path("desk/forget/", desk.forget, name="desk_forget"),
    path("desk/read.css", desk_links.read_marks, name="read_marks"),
    path("desk/feed/<str:token>/", desk_links.PrivateFeed.as_view(), name="private_feed"),
    path("desk/feed/<str:token>/atom/", desk_links.PrivateAtomFeed.as_view(), name="private_feed_atom"),
    path("desk/unsubscribe/<str:token>/", desk_links.unsubscribe, name="unsubscribe"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/confirm/", accounts.confirm_email_again, name="confirm_email_again"),
    path("accounts/confirm/<str:token>/", accounts.confirm_email, name="confirm_email"),
    # Paying (docs/members.md): hidden without STRIPE_SECRET_KEY.
    path("membership/", payments.membership, name="membership"),
    path("membership/payment/", payments.payment, name="payment"),
    path("accounts/subscription/", billing.manage, name="manage_subscription"),
    path("accounts/invoices/", billing.invoices, name="invoices"),
    path("gifts/", gifts.gifts, name="gifts"),
    path("gifts/<str:token>/", gifts.gift, name="gift"),
    path("gifts/<str:token>/redeem/", gifts.redeem, name="redeem_gift"),
    path("stripe/webhook/", payments.webhook, name="stripe_webhook"),
]
