from django.urls import path  # noqa: F401

# Public pages (mounted at /coalitie/).
public_patterns = [
    # --- network ---
]

# Staff pages (mounted at /werkplek/coalitie/); every view is protected by staff_view.
network_patterns = []
health_patterns = []
roadmap_patterns = []

public_patterns_with_namespace = (public_patterns, "coalition")
staff_urlpatterns = (network_patterns + health_patterns + roadmap_patterns, "coalition_staff")
