from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static


def healthz(request):
    """Liveness and database reachability for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception as exc:  # report any database failure as unhealthy
        return JsonResponse({"status": "error", "error": type(exc).__name__}, status=503)


def favicon(request):
    """Browsers ask for /favicon.ico; the icon lives with the static files (hashed name in production)."""
    return HttpResponsePermanentRedirect(static("qudao/favicon.svg"))
