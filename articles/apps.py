from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import throttle

        user_login_failed.connect(throttle.record_failure, dispatch_uid="newsreader_login_failed")
        user_logged_in.connect(throttle.clear_failures, dispatch_uid="newsreader_logged_in")
