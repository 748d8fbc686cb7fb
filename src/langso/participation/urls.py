"""URLs of langso.participation (mounted at the site root).

Public (no login): ``dich-vu/`` (online-service catalogues), ``s/`` (survey answer page, one-time
codes), ``phan-anh/`` (citizen feedback: send, follow, public list). Officers:
``c/<commune_code>/participation/``, ``…/online-services/``, ``…/surveys/``, ``…/feedback/``;
province: ``p/<province_code>/participation/``. The documents app owns ``services/``.
"""

from django.urls import path

from . import public, views

app_name = "participation"
urlpatterns = [
    # public
    path("dich-vu/", public.services_index, name="public-services-index"),
    path("dich-vu/<str:commune_code>/", public.services_public, name="public-services"),
    path("s/", public.survey_start, name="survey-start"),
    path("s/<int:run_id>/", public.survey_answer, name="survey-answer"),
    path("s/<int:run_id>/cam-on/", public.survey_thanks, name="survey-thanks"),
    path("phan-anh/", public.feedback_start, name="feedback-start"),
    path("phan-anh/tra-cuu/", public.feedback_track, name="feedback-track"),
    path("phan-anh/ma/<str:tracking_code>/", public.feedback_status, name="feedback-status"),
    path("phan-anh/<str:commune_code>/", public.feedback_public_list, name="feedback-public-list"),
    path("phan-anh/<str:commune_code>/gui/", public.feedback_new, name="feedback-new"),
    # commune officers
    path("c/<str:commune_code>/participation/", views.hub, name="hub"),
    path("c/<str:commune_code>/online-services/", views.services, name="services"),
    path("c/<str:commune_code>/online-services/new/", views.service_new, name="service-new"),
    path("c/<str:commune_code>/online-services/enable/", views.service_enable, name="service-enable"),
    path("c/<str:commune_code>/online-services/<int:service_id>/withdraw/", views.service_withdraw,
         name="service-withdraw"),
    path("c/<str:commune_code>/surveys/", views.runs, name="runs"),
    path("c/<str:commune_code>/surveys/new/", views.run_new, name="run-new"),
    path("c/<str:commune_code>/surveys/<int:run_id>/", views.run_detail, name="run"),
    path("c/<str:commune_code>/surveys/<int:run_id>/codes/", views.run_codes_issue, name="run-codes-issue"),
    path("c/<str:commune_code>/surveys/<int:run_id>/codes/<int:village_id>/", views.run_issue_sheet,
         name="run-issue-sheet"),
    path("c/<str:commune_code>/surveys/<int:run_id>/dates/", views.run_dates, name="run-dates"),
    path("c/<str:commune_code>/surveys/<int:run_id>/free-text/", views.run_free_text, name="run-free-text"),
    path("c/<str:commune_code>/surveys/<int:run_id>/export.csv", views.run_export, {"fmt": "csv"},
         name="run-export-csv"),
    path("c/<str:commune_code>/surveys/<int:run_id>/export.xlsx", views.run_export, {"fmt": "xlsx"},
         name="run-export-xlsx"),
    path("c/<str:commune_code>/feedback/", views.feedback_list, name="feedback-list"),
    path("c/<str:commune_code>/feedback/<int:feedback_id>/", views.feedback_detail, name="feedback-item"),
    path("c/<str:commune_code>/feedback/<int:feedback_id>/assign/", views.feedback_assign, name="feedback-assign"),
    path("c/<str:commune_code>/feedback/<int:feedback_id>/answer/", views.feedback_answer, name="feedback-answer"),
    path("c/<str:commune_code>/feedback/<int:feedback_id>/close/", views.feedback_close, name="feedback-close"),
    path("c/<str:commune_code>/feedback/<int:feedback_id>/photo.jpg", views.feedback_photo, name="feedback-photo"),
    # province
    path("p/<str:province_code>/participation/", views.province, name="province"),
]
