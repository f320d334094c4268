from django.urls import include, path

from omzien.activities import urls as activity_urls
from omzien.activities.api_hsds import hsds_urls
from omzien.api import api_urls
from omzien.coalition import urls as coalition_urls
from omzien.core.urls import staff_urlpatterns

urlpatterns = [
    path("", include("omzien.core.urls")),
    path("coalitie/", include(coalition_urls.public_patterns_with_namespace)),
    path("werkplek/", include(staff_urlpatterns)),
    path("werkplek/coalitie/", include(coalition_urls.staff_urlpatterns)),
    path("activiteiten/", include(activity_urls.public_patterns)),
    path("werkplek/aanbod/", include(activity_urls.staff_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls),
    path("api/hsds/", include(hsds_urls)),
]
