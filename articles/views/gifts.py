"""Gifts of membership: bought for an email address (paid on the payment page), and redeemed
through the link we mail: it starts or extends the membership of whoever signs in with it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..actions import billing
from ..forms import GiftForm
from ..models import Gift
from ..payments.plans import gift_amount, money, plans
from .payments import PAYMENT, payments_on


@payments_on
@require_http_methods(["GET", "HEAD", "POST"])
def gifts(request):
    form = GiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        request.session[PAYMENT] = {"purpose": "gift", **form.cleaned_data}
        return redirect("payment")
    currency = plans()["monthly"].currency
    prices = [(months, money(gift_amount(months), currency)) for months in Gift.MONTHS]
    return render(request, "membership/gifts.html", {"form": form, "prices": prices}, status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
def gift(request, token):
    """What the mailed link shows: the gift, and a button to redeem it once signed in."""
    found = get_object_or_404(Gift, token=token, paid_at__isnull=False)
    return render(request, "membership/gift.html", {"gift": found})


@login_required
@require_POST
def redeem(request, token):
    found = get_object_or_404(Gift, token=token, paid_at__isnull=False)
    if billing.redeem_gift(found, request.user):
        messages.success(request, f"Your gift of {found.months} months of membership has started. Enjoy your reading.")
    else:
        messages.info(request, "This gift has been redeemed already.")
    return redirect("account")
