"""The plans a reader can buy, and the gifts, from the settings: amounts in the currency's
smallest unit, one currency for all."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class Plan:
    name: str  # "monthly" or "yearly": what we call it everywhere
    interval: str  # Stripe's: "month" or "year"
    amount: int
    currency: str

    @property
    def key(self) -> str:
        """Its id (a Plan) or lookup key (a Price) on Stripe: a new amount or currency is a new one."""
        return f"newsreader-{self.name}-{self.amount}-{self.currency}"

    @property
    def price(self) -> str:
        return money(self.amount, self.currency)


def plans() -> dict[str, Plan]:
    currency = settings.NEWSREADER_PLAN_CURRENCY
    return {
        "monthly": Plan("monthly", "month", settings.NEWSREADER_PLAN_MONTHLY, currency),
        "yearly": Plan("yearly", "year", settings.NEWSREADER_PLAN_YEARLY, currency),
    }


def plan_for_interval(interval: str) -> str:
    """Our name for a subscription billed every `interval` ("" for one we do not sell)."""
    return {plan.interval: plan.name for plan in plans().values()}.get(interval, "")


GIFT_MONTHS = (3, 6, 12)
GIFT_DAYS = {3: 91, 6: 182, 12: 365}  # what a gift of so many months grants


def gift_amount(months: int) -> int:
    """A gift costs as many months of the monthly plan."""
    return months * settings.NEWSREADER_PLAN_MONTHLY


SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£"}


def money(amount: int, currency: str) -> str:
    """800, "eur" → "€8.00"; an unknown currency by its code."""
    value = f"{Decimal(amount) / 100:,.2f}"
    symbol = SYMBOLS.get(currency.lower())
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"
