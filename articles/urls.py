from django.urls import path

from . import accounts, comments, views

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("articles/<slug:slug>/comments/", comments.comment_list, name="comments"),
    path("articles/<slug:slug>/comments/<int:pk>/edit/", comments.comment_edit, name="comment_edit"),
    path("articles/<slug:slug>/comments/<int:pk>/delete/", comments.comment_delete, name="comment_delete"),
    path("articles/<slug:slug>/comments/<int:pk>/hide/", comments.comment_hide, name="comment_hide"),
    path("articles/<slug:slug>/comments/<int:pk>/ban/", comments.comment_ban, name="comment_ban"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/signup/", accounts.signup, name="signup"),
]
