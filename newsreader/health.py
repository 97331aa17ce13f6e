from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from . import replicas


def _primary() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return str(error).strip() or type(error).__name__
    return "ok"


@never_cache
def healthz(request):
    """200 "ok" when the database answers a query, 503 otherwise. With `?detail=1`, JSON: the
    primary ("ok" or its error) and each replica (its state and replay lag, asked now); 503 when
    the primary does not answer (a replica down only leaves reads to the primary)."""
    primary = _primary()
    status = 200 if primary == "ok" else 503
    if request.GET.get("detail") == "1":
        return JsonResponse({"primary": primary, "replicas": replicas.health()}, status=status)
    if status != 200:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
