"""URLs of langso.criteria.

Officials only (anonymous users go to the login page): the criteria sets (reference), a commune's
standing, assessments, gap report, evidence and reports under ``c/<commune_code>/criteria/``, and
the province's overview, targets, classifications, certifications, reports and DHIS2 exports under
``p/<province_code>/criteria/``. The province's decisions on an assessment (``decide``, ``reopen``)
live under the commune's URL but answer 404 to anyone but the province's officers.
"""

from django.urls import path

from . import province_views, views

app_name = "criteria"
urlpatterns = [
    path("criteria/sets/", views.set_list, name="sets"),
    path("criteria/sets/<slug:set_code>/", views.set_detail, name="set"),
    path("c/<str:commune_code>/criteria/", views.commune_overview, name="commune"),
    path("c/<str:commune_code>/criteria/new/", views.assessment_new, name="new"),
    path("c/<str:commune_code>/criteria/gap/", views.gap, name="gap"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/report.xlsx", views.assessment_xlsx,
         name="assessment-xlsx"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/report.pdf", views.assessment_pdf, name="assessment-pdf"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/update/", views.assessment_refresh, name="update"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/edit-result/", views.result_edit, name="edit-result"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/decide/", views.assessment_decide, name="decide"),
    path("c/<str:commune_code>/criteria/assessments/<int:pk>/reopen/", views.assessment_reopen, name="reopen"),
    path("c/<str:commune_code>/criteria/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("p/<str:province_code>/criteria/", province_views.province_overview, name="province"),
    path("p/<str:province_code>/criteria/targets/", province_views.province_targets, name="targets"),
    path("p/<str:province_code>/criteria/history/", province_views.province_history, name="history"),
    path("p/<str:province_code>/criteria/classification/", province_views.province_classification,
         name="classification"),
    path("p/<str:province_code>/criteria/certifications/", province_views.province_certifications,
         name="certifications"),
    path("p/<str:province_code>/criteria/report.xlsx", province_views.province_xlsx, name="province-xlsx"),
    path("p/<str:province_code>/criteria/report.pdf", province_views.province_pdf, name="province-pdf"),
    path("p/<str:province_code>/criteria/export.adx", province_views.export_adx, name="export-adx"),
    path("p/<str:province_code>/criteria/export.json", province_views.export_dhis2, name="export-dhis2"),
]
