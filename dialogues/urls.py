from django.urls import path

from dialogues import views

app_name = "dialogues"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("min-enhed/", views.my_plan, name="my_plan"),
    path("udrulninger/", views.rollout_list, name="rollout_list"),
    path("udrulninger/ny/", views.rollout_create, name="rollout_create"),
    path("udrulninger/<int:pk>/", views.rollout_detail, name="rollout_detail"),
    path("udrulninger/<int:pk>/rediger/", views.rollout_edit, name="rollout_edit"),
    path("udrulninger/<int:pk>/enheder/<int:unit_pk>/ny-plan/", views.plan_start, name="plan_start"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/oversaettelse/", views.plan_translation_edit, name="plan_translation_edit"),
    path("<int:pk>/medejere/", views.plan_co_owners_edit, name="plan_co_owners_edit"),
    path(
        "<int:pk>/oversaettelse/tidligere/<int:revision_pk>/",
        views.plan_translation_restore,
        name="plan_translation_restore",
    ),
    path("<int:pk>/indsend/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/tjek/", views.plan_check, name="plan_check"),
    path("<int:pk>/traek-tilbage/", views.plan_withdraw, name="plan_withdraw"),
    path("<int:pk>/godkend/", views.plan_approve, name="plan_approve"),
    path("<int:pk>/send-tilbage/", views.plan_send_back, name="plan_send_back"),
    path("<int:pk>/saet-i-gang/", views.plan_begin, name="plan_begin"),
    path("<int:pk>/afslut/", views.plan_finish, name="plan_finish"),
    path("<int:pk>/med-behandling/", views.plan_med_treatment, name="plan_med_treatment"),
    path("<int:pk>/kopier-oversaettelse/", views.plan_translation_copy, name="plan_translation_copy"),
    path(
        "<int:pk>/kopier-oversaettelse/fra/<int:source_pk>/",
        views.plan_translation_copy_review,
        name="plan_translation_copy_review",
    ),
    path("<int:pk>/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("<int:pk>/aktiviteter/<int:activity_pk>/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/aktiviteter/<int:activity_pk>/kalender.ics", views.activity_ics, name="activity_ics"),
    path("<int:pk>/aktiviteter/<int:activity_pk>/slet/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/aktiviteter/<int:activity_pk>/kopier/", views.activity_copy, name="activity_copy"),
    path("<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(
        "<int:pk>/aktiviteter/<int:activity_pk>/dialogmoedeguide.pdf",
        views.activity_guide_pdf,
        name="activity_guide_pdf",
    ),
    path(
        "<int:pk>/aktiviteter/<int:activity_pk>/praesentation/",
        views.activity_presentation,
        name="activity_presentation",
    ),
    path("<int:pk>/aktiviteter/<int:activity_pk>/dialogkort.pptx", views.activity_pptx, name="activity_pptx"),
    path("<int:pk>/aktiviteter/<int:activity_pk>/udbytte/", views.activity_outcome, name="activity_outcome"),
    path("udrulninger/<int:pk>/alle-planer/", views.rollout_plans_request, name="rollout_plans_request"),
    path("materiale/alle-dialogkort/", views.all_cards_request, name="all_cards_request"),
    path("materiale/<slug:slug>/", views.material, name="material"),
    path("materiale/<slug:slug>/dialogkort.pdf", views.cards_pdf, name="cards_pdf"),
    path("materiale/<slug:slug>/dialogkort.pptx", views.cards_pptx, name="cards_pptx"),
    path("materiale/<slug:slug>/praesentation/", views.cards_presentation, name="cards_presentation"),
    path("materiale/<slug:slug>/haefte.pdf", views.booklet_pdf, name="booklet_pdf"),
    path("materiale/<slug:slug>/rekruttering.pdf", views.recruitment_pdf, name="recruitment_pdf"),
]
