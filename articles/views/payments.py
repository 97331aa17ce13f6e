"""Paying for membership: the plans (/membership/), the payment page where a card is entered
with Stripe Elements and a SetupIntent, and Stripe's webhook. Without STRIPE_SECRET_KEY the
membership page explains the trial and the others answer 404. See docs/members.md."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..actions import billing
from ..models import Subscription
from ..payments import stripe_api
from ..payments.plans import plans
from ..payments.stripe_api import PaymentError

# What the payment page is paying for, kept in the session between choosing and paying.
PAYMENT = "newsreader_payment"


def payments_on(view):
    """Pages that exist only when payments are configured."""

    def wrapped(request, *args, **kwargs):
        if not stripe_api.enabled():
            raise Http404("Payments are not configured.")
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD", "POST"])
def membership(request):
    """The plans, each a form; choosing one (signed in) goes on to the payment page."""
    if request.method == "POST" and stripe_api.enabled():
        chosen = request.POST.get("plan")
        if chosen not in plans():
            return redirect("membership")
        if not request.user.is_authenticated:
            return redirect(f"{reverse('signup')}?next={reverse('membership')}")
        request.session[PAYMENT] = {"purpose": "subscribe", "plan": chosen}
        return redirect("payment")
    row = Subscription.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    context = {
        "payments": stripe_api.enabled(),
        "plans": plans().values(),
        "subscribed": billing.subscribed(row),
        "trial_days": settings.NEWSREADER_TRIAL_DAYS,
    }
    return render(request, "membership/membership.html", context)


def describe(payment: dict) -> str:
    if payment["purpose"] == "subscribe":
        plan = plans()[payment["plan"]]
        return f"The {plan.name} membership: {plan.price} a {plan.interval}, renewed until you cancel."
    if payment["purpose"] == "gift":
        return f"A gift of {payment['months']} months of membership for {payment['email']}."
    return "A new card for your membership's renewals."


@payments_on
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment(request):
    """The one page that loads Stripe.js, and the only one whose CSP allows it. Elements confirm a
    SetupIntent with the card typed in; the form then posts the intent's id, and we charge the card.
    A first payment that needs the reader's authentication (3-D Secure) is finished on this page."""
    wanted = request.session.get(PAYMENT)
    if wanted is None:
        return redirect("membership")
    error = ""
    if request.method == "POST":
        try:
            return paid(request, wanted, request.POST.get("setup_intent", ""))
        except PaymentError as refused:
            error = str(refused)
    try:
        intent = stripe_api.setup_intent(billing.customer_of(request.user).customer_id)
    except PaymentError as refused:
        intent, error = None, str(refused)
    return payment_page(request, {"intent": intent, "error": error, "what": describe(wanted)})


def payment_page(request, context, status=200):
    context |= {"js_url": stripe_api.js_url(), "publishable_key": settings.STRIPE_PUBLISHABLE_KEY}
    response = render(request, "membership/payment.html", context, status=status)
    response["Content-Security-Policy"] = stripe_api.payment_page_policy()
    return response


def paid(request, wanted: dict, setup_intent: str):
    purpose = wanted["purpose"]
    if purpose == "subscribe":
        secret = billing.subscribe(request.user, plan=wanted["plan"], setup_intent_id=setup_intent)
        done, said = reverse("account"), "Thank you. Your membership starts as soon as Stripe confirms the payment, in a moment."
    elif purpose == "gift":
        _, secret = billing.buy_gift(request.user, email=wanted["email"], months=wanted["months"],
                                     currency=settings.NEWSREADER_PLAN_CURRENCY, setup_intent_id=setup_intent)
        done, said = reverse("gifts"), f"Thank you. We will email the gift to {wanted['email']} as soon as Stripe confirms the payment."
    else:
        billing.update_card(request.user, setup_intent_id=setup_intent)
        secret, done, said = "", reverse("account"), "Your new card will be used for your next renewal."
    del request.session[PAYMENT]
    messages.success(request, said)
    if secret:  # the bank asks the reader to confirm the first payment
        return payment_page(request, {"action_secret": secret, "done": done, "what": describe(wanted)})
    return redirect(done)


@csrf_exempt
@require_POST
def webhook(request):
    """Stripe's events: signature checked first (400 and nothing changed without a valid one),
    then each applied once."""
    if not stripe_api.enabled():  # no secret to sign with: no signature is right (the contract's 400)
        return HttpResponseBadRequest("Bad signature.", content_type="text/plain")
    try:
        event = stripe_api.verified_event(request.body, request.headers.get("Stripe-Signature", ""))
    except ValueError:
        return HttpResponseBadRequest("Bad signature.", content_type="text/plain")
    applied = billing.apply_event(event, site_url=request.build_absolute_uri("/"))
    return HttpResponse("applied" if applied else "already applied", content_type="text/plain")
