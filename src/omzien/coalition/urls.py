from django.urls import path

from . import views

# Public pages (mounted at /coalitie/).
public_patterns = [
    # --- network ---
    path("partners/", views.public_partner_list, name="partner_list"),
]

# Staff pages (mounted at /werkplek/coalitie/); every view is protected by staff_view.
network_patterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/nieuw/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/bewerken/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/archiveren/", views.partner_archive, name="partner_archive"),
    path("partners/<int:pk>/terugzetten/", views.partner_unarchive, name="partner_unarchive"),
    path("werkgroepen/", views.working_group_list, name="working_group_list"),
    path("werkgroepen/nieuw/", views.working_group_create, name="working_group_create"),
    path("werkgroepen/<int:pk>/", views.working_group_detail, name="working_group_detail"),
    path("werkgroepen/<int:pk>/bewerken/", views.working_group_edit, name="working_group_edit"),
    path("bijeenkomsten/", views.meeting_list, name="meeting_list"),
    path("bijeenkomsten/nieuw/", views.meeting_create, name="meeting_create"),
    path("bijeenkomsten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("bijeenkomsten/<int:pk>/bewerken/", views.meeting_edit, name="meeting_edit"),
    path("bijeenkomsten/<int:pk>/afdrukken/", views.meeting_print, name="meeting_print"),
    path("bijeenkomsten/<int:pk>/besluiten/nieuw/", views.decision_create,
         name="decision_create"),
    path("bijeenkomsten/<int:pk>/acties/nieuw/", views.action_create, name="action_create"),
    path("acties/", views.action_list, name="action_list"),
    path("acties/export.csv", views.action_export, name="action_export"),
    path("acties/<int:pk>/bewerken/", views.action_edit, name="action_edit"),
]
health_patterns = [
    path("netwerk/", views.network_health, name="network_health"),
    path("enquete/", views.survey_list, name="survey_list"),
    path("enquete/nieuw/", views.survey_round_create, name="survey_round_create"),
    path("enquete/<int:pk>/bewerken/", views.survey_round_edit, name="survey_round_edit"),
    path("enquete/<int:pk>/partners/<int:partner_pk>/", views.survey_answer,
         name="survey_answer"),
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/nieuw/", views.campaign_create, name="campaign_create"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/bewerken/", views.campaign_edit, name="campaign_edit"),
]
roadmap_patterns = [
    # --- roadmap ---
    path("routekaart/", views.roadmap, name="roadmap"),
    path("routekaart/plan.pdf", views.roadmap_plan_pdf, name="roadmap_plan_pdf"),
    path("routekaart/doelen/<int:pk>/bewerken/", views.roadmap_goal_edit,
         name="roadmap_goal_edit"),
    path("routekaart/doelen/<int:pk>/behaald/", views.roadmap_goal_achieved,
         name="roadmap_goal_achieved"),
    path("routekaart/acties/<int:pk>/bewerken/", views.roadmap_action_edit,
         name="roadmap_action_edit"),
    path("routekaart/<slug:code>/", views.roadmap_chapter, name="roadmap_chapter"),
    path("routekaart/<slug:code>/bewerken/", views.roadmap_chapter_edit,
         name="roadmap_chapter_edit"),
    path("routekaart/<slug:code>/doelen/nieuw/", views.roadmap_goal_create,
         name="roadmap_goal_create"),
    path("routekaart/<slug:code>/acties/nieuw/", views.roadmap_action_create,
         name="roadmap_action_create"),
    path("subsidies/", views.grant_list, name="grant_list"),
    path("subsidies/nieuw/", views.grant_create, name="grant_create"),
    path("subsidies/vergelijken/", views.grant_compare, name="grant_compare"),
    path("subsidies/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("subsidies/<int:pk>/bewerken/", views.grant_edit, name="grant_edit"),
    path("subsidies/<int:pk>/beoordelen/", views.grant_assess, name="grant_assess"),
    path("subsidies/<int:pk>/besluit/", views.grant_decide, name="grant_decide"),
    path("subsidies/checklist/", views.criterion_list, name="criterion_list"),
    path("subsidies/checklist/nieuw/", views.criterion_create, name="criterion_create"),
    path("subsidies/checklist/<int:pk>/bewerken/", views.criterion_edit, name="criterion_edit"),
    path("subsidies/checklist/<int:pk>/verplaatsen/", views.criterion_move,
         name="criterion_move"),
    path("subsidies/checklist/<int:pk>/verwijderen/", views.criterion_delete,
         name="criterion_delete"),
    path("subsidies/experimenten/", views.experiment_list, name="experiment_list"),
    path("subsidies/experimenten/<int:pk>/", views.experiment_detail, name="experiment_detail"),
    path("subsidies/experimenten/<int:pk>/fase/", views.experiment_stage,
         name="experiment_stage"),
    path("subsidies/experimenten/<int:pk>/bevindingen/", views.experiment_findings,
         name="experiment_findings"),
]

public_patterns_with_namespace = (public_patterns, "coalition")
staff_urlpatterns = (network_patterns + health_patterns + roadmap_patterns, "coalition_staff")
