from django.urls import include, path

from omzien.api import api_urls
from omzien.coalition import urls as coalition_urls
from omzien.core.urls import staff_urlpatterns

urlpatterns = [
    path("", include("omzien.core.urls")),
    path("coalitie/", include(coalition_urls.public_patterns_with_namespace)),
    path("werkplek/", include(staff_urlpatterns)),
    path("werkplek/coalitie/", include(coalition_urls.staff_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls),
]
