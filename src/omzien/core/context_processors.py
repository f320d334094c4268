from django.conf import settings


def municipality(request):
    return {"municipality": settings.OMZIEN_MUNICIPALITY, "is_demo": settings.OMZIEN_DEMO}
