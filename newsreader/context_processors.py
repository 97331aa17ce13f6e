from django.templatetags.static import static


def site(request):
    """What every page's head needs: the absolute URL of our social preview image."""
    return {"social_image_url": request.build_absolute_uri(static("social.png"))}
