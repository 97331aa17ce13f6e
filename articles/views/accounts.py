"""Reader accounts: sign-up (which starts a trial membership) and the account page.

Sign-in, sign-out and passwords are Django's own views (sign-in wrapped by throttle.py).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .. import access
from ..actions import memberships
from ..models import Membership
from ..models.members import TRIAL


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            memberships.grant(user, days=settings.NEWSREADER_TRIAL_DAYS, plan=TRIAL)
        login(request, user)
        return redirect(safe_next(request))
    return render(request, "registration/signup.html", {"form": form, "next": safe_next(request, "")})


@login_required
def account(request):
    context = {
        "state": access.member_state(request.user),
        "membership": Membership.objects.filter(user=request.user).first(),
    }
    return render(request, "registration/account.html", context)
