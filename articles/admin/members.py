"""Memberships, and who has been failing to sign in."""

from django.contrib import admin
from django.template.defaultfilters import pluralize

from .. import access
from ..actions import memberships
from ..actions.memberships import GRANT_DAYS
from ..models import LoginFailure, Membership


class MembershipStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("lapsed", "Lapsed")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(access.active_memberships())
        if self.value() == "lapsed":
            return queryset.exclude(access.active_memberships())
        return queryset


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "starts_at", "ends_at", "is_active"]
    list_filter = [MembershipStateFilter, "plan"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    actions = ["extend"]

    @admin.display(boolean=True, description="active")
    def is_active(self, membership):
        return access.membership_is_active(membership)

    @admin.action(description=f"Extend by {GRANT_DAYS} days (a lapsed one starts again today)")
    def extend(self, request, queryset):
        chosen = list(queryset.select_related("user"))
        for membership in chosen:
            memberships.grant(membership.user, days=GRANT_DAYS)
        self.message_user(request, f"Extended {len(chosen)} membership{pluralize(len(chosen))} by {GRANT_DAYS} days.")


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Read-only: who has been failing to sign in, and from where."""

    list_display = ["username", "address", "failed_at"]
    search_fields = ["username", "address"]
    date_hierarchy = "failed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
