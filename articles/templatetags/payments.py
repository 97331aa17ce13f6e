"""`{% payments_on as paying %}`: whether payments are configured, for shared templates (the gate)."""

from django import template

from ..payments import stripe_api

register = template.Library()


@register.simple_tag
def payments_on() -> bool:
    return stripe_api.enabled()
