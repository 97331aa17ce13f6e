"""Read-only: each member's subscription as Stripe last told us, with the events Stripe sent
about it, and the gifts bought. Changes are made on Stripe (or by members themselves); the
webhook brings them here."""

from django.contrib import admin

from ..models import Gift, StripeEvent, Subscription


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnly, admin.TabularInline):
    model = StripeEvent
    fields = ["created", "type", "id", "received_at"]
    readonly_fields = fields
    ordering = ["-created"]
    extra = 0
    show_change_link = True


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "plan", "status", "current_period_end", "cancel_at_period_end", "updated_at"]
    list_filter = ["status", "plan", "cancel_at_period_end"]
    search_fields = ["user__username", "user__email", "customer_id", "subscription_id"]
    list_select_related = ["user"]
    inlines = [EventInline]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["created", "type", "id", "subscription"]
    list_filter = ["type"]
    search_fields = ["id", "subscription__user__username", "subscription__customer_id"]
    list_select_related = ["subscription__user"]
    date_hierarchy = "created"


@admin.register(Gift)
class GiftAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["recipient_email", "months", "buyer", "created_at", "paid_at", "redeemed_by", "redeemed_at"]
    list_filter = ["months"]
    search_fields = ["recipient_email", "buyer__username", "redeemed_by__username"]
    list_select_related = ["buyer", "redeemed_by"]
    exclude = ["token"]  # the link's secret is the recipient's
