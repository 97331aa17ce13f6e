"""Paying for membership on Stripe: the plans (plans.py) and the one interface to Stripe's API
(stripe_api.py). Whether a reader may read is access.py's to say; what a payment changes is
written by actions/billing.py and actions/memberships.py. See docs/members.md."""
