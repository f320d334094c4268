from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import two_factor, views
from .forms import PasswordChoiceForm

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("thema.css", views.theme_css, name="theme_css"),
    path("inloggen/", two_factor.LoginView.as_view(), name="login"),
    path("uitloggen/", two_factor.logout, name="logout"),
    path("inloggen/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("inloggen/app-koppelen/", two_factor.two_factor_setup, name="two_factor_setup"),
    path(
        "wachtwoord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/password_set.html", form_class=PasswordChoiceForm,
            success_url=reverse_lazy("core:login"),
        ),
        name="password_reset_confirm",
    ),
]

# Staff pages: every view here is protected by access.staff_view with a permission.
staff_urlpatterns = (
    [
        path("", views.staff_home, name="home"),
        path("organisaties/", views.organisation_list, name="organisation_list"),
        path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
        path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
        path("organisaties/<int:pk>/bewerken/", views.organisation_edit, name="organisation_edit"),
        path("gebieden/", views.area_list, name="area_list"),
        path("gebieden/importeren/", views.area_import, name="area_import"),
        path("gebruikers/", views.user_list, name="user_list"),
        path("gebruikers/nieuw/", views.user_create, name="user_create"),
        path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
        path("auditlog/", views.audit_log, name="audit_log"),
    ],
    "staff",
)
