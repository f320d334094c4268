from django.urls import include, path

from omzien.api import api_urls
from omzien.core.urls import staff_urlpatterns

urlpatterns = [
    path("", include("omzien.core.urls")),
    path("werkplek/", include(staff_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls),
]
