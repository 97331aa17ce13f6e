from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_vocabulary(sender, using, **kwargs):
    from .geo.tag_rows import sync_vocabulary

    sync_vocabulary(using=using)


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_delete, post_save

        from . import contentversion, readers, throttle
        from .models import (
            Actor,
            Article,
            ArticleActor,
            ArticleCountry,
            Comment,
            CommentBan,
            Country,
            Membership,
            Source,
            Story,
            StoryArticle,
        )

        # What readers can see: any write to these tables makes cached pages stale on commit.
        contentversion.watch(
            *(model._meta.db_table for model in (
                Article, ArticleCountry, ArticleActor, Source, Comment, Country, Actor, Story, StoryArticle,
            ))
        )
        for model in (get_user_model(), Membership, CommentBan):
            for signal in (post_save, post_delete):
                signal.connect(readers.reader_changed, sender=model, dispatch_uid=f"reader_{model.__name__}")
        user_login_failed.connect(throttle.record_failure, dispatch_uid="newsreader_login_failed")
        user_logged_in.connect(throttle.clear_failures, dispatch_uid="newsreader_logged_in")

        # Country and actor rows follow the vocabulary in the repository, after every migrate.
        post_migrate.connect(_sync_vocabulary, sender=self)
