"""A member's own subscription, on the account page: plan, next renewal, cancel at the period's
end and resume, change plan, a new card, invoices. One interface, two ways: Stripe's customer
portal on real Stripe, our own forms here otherwise (stripe_api.self_service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..actions import billing
from ..models import Subscription
from ..payments import stripe_api
from ..payments.plans import money, plans
from ..payments.stripe_api import PaymentError
from .payments import PAYMENT, payments_on


def subscription_context(user) -> dict:
    """What the account page shows of the reader's subscription (nothing without payments)."""
    if not stripe_api.enabled():
        return {}
    row = Subscription.objects.filter(user=user).first()
    if not billing.subscribed(row):
        return {"payments": True}
    return {
        "payments": True,
        "subscription": row,
        "renewal_amount": money(row.amount, row.currency),
        "other_plans": [plan for plan in plans().values() if plan.name != row.plan],
        "portal": stripe_api.self_service() == stripe_api.PORTAL,
    }


@payments_on
@login_required
@require_POST
def manage(request):
    """One form action per change: cancel, resume, plan, card, portal."""
    action = request.POST.get("action")
    try:
        if action == "portal":
            row = billing.customer_of(request.user)
            return redirect(stripe_api.portal_url(row.customer_id, request.build_absolute_uri("/accounts/")))
        if action == "card":
            request.session[PAYMENT] = {"purpose": "card"}
            return redirect("payment")
        if action == "cancel":
            row = billing.cancel(request.user)
            messages.success(request, f"Your membership will not renew: you read everything until {row.current_period_end:%-d %B %Y}.")
        elif action == "resume":
            billing.resume(request.user)
            messages.success(request, "Your membership will renew again.")
        elif action == "plan" and request.POST.get("plan") in plans():
            billing.change_plan(request.user, plan=request.POST["plan"])
            messages.success(request, f"You are now on the {request.POST['plan']} plan.")
    except PaymentError as refused:
        messages.error(request, str(refused))
    return redirect("account")


@payments_on
@login_required
def invoices(request):
    row = Subscription.objects.filter(user=request.user).first()
    found = stripe_api.invoices(row.customer_id) if row else []
    shown = [{"id": i["id"], "created": stripe_api.moment(i["created"]), "amount": money(i.get("amount_paid") or i.get("total") or 0, i["currency"]),
              "status": i["status"], "url": i.get("hosted_invoice_url") or ""} for i in found]
    return render(request, "membership/invoices.html", {"invoices": shown})
