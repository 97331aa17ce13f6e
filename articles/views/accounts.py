"""Reader accounts: sign-up (which starts a trial membership), confirming an email address, the
account page, and password reset.

Sign-in, sign-out and password change are Django's own views (sign-in wrapped by throttle.py).
A trial is one per email address, ever (`Trial`): a sign-up with an address no account has used
starts it at once; an address used before starts it only once the reader confirms that it is
theirs through a signed, expiring link we mail them.
"""

import datetime as dt
import functools
import unicodedata

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .. import access, throttle
from ..actions import memberships
from ..mail import mail_after_response
from ..models import Membership, Trial, email_key
from ..models.members import TRIAL
from . import billing

CONFIRM_SALT = "newsreader.accounts.confirm-email"


class SignupForm(auth_forms.UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(auth_forms.UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_email(self):
        # Kept NFKC-normalised, as it is compared (a full-width domain is the same domain).
        return unicodedata.normalize("NFKC", self.cleaned_data["email"])


def safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def address_is_new(user) -> bool:
    """No other account has used the user's email address (compared case-insensitively)."""
    return not get_user_model().objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists()


def address_had_trial(user) -> bool:
    return Trial.objects.filter(email=email_key(user.email)).exists()


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            trial = address_is_new(user) and memberships.start_trial(user)
        login(request, user)
        response = redirect(safe_next(request))
        if trial:
            return response
        if address_had_trial(user):
            messages.info(request, f"Your account is ready. {user.email} has had its trial membership already, so none starts for this account.")
            return response
        return ask_to_confirm(request, user, response)
    return render(request, "registration/signup.html", {"form": form, "next": safe_next(request, "")})


def confirmation_link(request, user) -> str:
    token = signing.dumps([user.pk, email_key(user.email)], salt=CONFIRM_SALT)
    return request.build_absolute_uri(reverse("confirm_email", args=[token]))


def send_confirmation(request, user) -> None:
    context = {"user": user, "link": confirmation_link(request, user), "days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    subject = render_to_string("registration/confirm_email_subject.txt", context).strip()
    send_mail(subject, render_to_string("registration/confirm_email_mail.txt", context), None, [user.email])


def ask_to_confirm(request, user, response):
    """Mail the user a link that confirms their address (after the response), and tell them so;
    over the mail limit, tell them when they can ask again."""
    if not throttle.mail_allowed(request, user.email):
        minutes = settings.NEWSREADER_MAIL_WINDOW_MINUTES
        messages.warning(
            request,
            f"Your account is ready, but we cannot send another link to {user.email} just now. "
            f"Ask for one from your account page in {minutes} minutes to start your trial membership.",
        )
        return response
    messages.info(
        request,
        f"Your account is ready. {user.email} has been used for an account here before, so your trial "
        "membership starts once you confirm the address is yours: we have sent a link to it.",
    )
    return mail_after_response(response, functools.partial(send_confirmation, request, user))


def confirming_user(token):
    """The account a confirmation link is for, while the link is valid and the account still has
    the address it was sent to."""
    try:
        user_id, key = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user if user is not None and email_key(user.email) == key else None


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request, token):
    """GET shows what the link confirms (mail scanners follow links); POST confirms it."""
    user = confirming_user(token)
    if user is None:
        return render(request, "registration/confirm_email.html", {"invalid": True}, status=400)
    if request.method != "POST":
        return render(request, "registration/confirm_email.html", {"confirming": user})
    if memberships.start_trial(user):
        messages.success(request, "Thank you: your address is confirmed, and your trial membership has started.")
    else:
        messages.info(request, "Thank you: your address is confirmed. It has had its trial membership already, so no new one starts.")
    return redirect("account")


def awaits_confirmation(user) -> bool:
    """A reader with an address, who has never been a member, and whose address has had no trial:
    confirming it starts one."""
    return bool(user.email) and access.member_state(user) is access.MemberState.NON_MEMBER and not address_had_trial(user)


@login_required
@require_POST
def confirm_email_again(request):
    if not awaits_confirmation(request.user):
        return redirect("account")
    if not throttle.mail_allowed(request, request.user.email):
        return throttle.too_many_mails(request)
    messages.info(request, f"We have sent a new link to {request.user.email}.")
    return mail_after_response(redirect("account"), functools.partial(send_confirmation, request, request.user))


@login_required
def account(request):
    membership = Membership.objects.filter(user=request.user).first()
    context = {
        "state": access.member_state(request.user),
        "membership": membership,
        "awaits_confirmation": awaits_confirmation(request.user),
        "trial_ending": trial_ending(membership),
    }
    return render(request, "registration/account.html", context | billing.subscription_context(request.user))


def trial_ending(membership) -> bool:
    """A trial that ends within NEWSREADER_TRIAL_REMINDER_DAYS: its member is offered the plans."""
    soon = timezone.now() + dt.timedelta(days=settings.NEWSREADER_TRIAL_REMINDER_DAYS)
    return membership is not None and membership.plan == TRIAL and timezone.now() < membership.ends_at <= soon


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with the mailing kept for later: the view's save() only takes its options, and
    send() finds the account, if one has the address, and mails it."""

    def save(self, **options):
        self.options = options

    def send(self):
        super().save(**self.options)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, throttled per email and client address, and answering alike, in the same time,
    whatever the address: whether an account has it is looked up only after the response."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        if not throttle.mail_allowed(self.request, form.cleaned_data["email"]):
            return throttle.too_many_mails(self.request)
        return mail_after_response(super().form_valid(form), form.send)
