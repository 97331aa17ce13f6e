"""The Content-Security-Policy header on every response (Django 5.2 has none of its own).

Scripts only from our own origin (htmx is vendored; JSON-LD is data, not run), so an injected
`<script>` or event handler does nothing even if one ever got past the sanitiser. Styles may be
inline (htmx's indicator style, a bar's width, the admin's). Images may come from https origins:
imported articles keep their remote images (docs/importing.md).
"""

from django.conf import settings


def content_security_policy(get_response):
    policy = settings.NEWSREADER_CONTENT_SECURITY_POLICY

    def middleware(request):
        response = get_response(request)
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response

    return middleware
