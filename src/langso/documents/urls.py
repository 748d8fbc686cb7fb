"""Commune documents, signing and public verification.

Public (no login): ``verify/`` (upload a PDF), ``v/<code>/`` (the record a document's QR points to),
``pki/demo/…`` (demo CA certificate and CRL), ``services/…`` (residence confirmation requests).
Officers: ``c/<commune_code>/documents/…`` and ``c/<commune_code>/requests/…``.
"""

from django.urls import path

from . import public, views

app_name = "documents"
urlpatterns = [
    path("verify/", public.verify, name="verify"),
    path("v/<str:code>/", public.record, name="record"),
    path("v/<str:code>/document.pdf", public.record_pdf, name="record-pdf"),
    path("pki/demo/ca.pem", public.demo_root, name="demo-root"),
    path("pki/demo/ca.crl", public.demo_crl, name="demo-crl"),
    path("services/", public.services, name="services"),
    path("services/track/", public.track, name="track"),
    path("services/residence/<str:commune_code>/", public.residence_form, name="residence-form"),
    path("services/requests/<str:reference>/", public.request_status, name="request-status"),
    path("services/requests/<str:reference>/confirmation.pdf", public.request_pdf, name="request-pdf"),
    path("c/<str:commune_code>/documents/", views.document_list, name="list"),
    path("c/<str:commune_code>/documents/new/", views.document_new, name="new"),
    path("c/<str:commune_code>/documents/<int:pk>/", views.document_detail, name="detail"),
    path("c/<str:commune_code>/documents/<int:pk>/edit/", views.document_edit, name="edit"),
    path("c/<str:commune_code>/documents/<int:pk>/document.pdf", views.document_pdf, name="pdf"),
    path("c/<str:commune_code>/documents/<int:pk>/sign/", views.document_sign, name="sign"),
    path("c/<str:commune_code>/documents/<int:pk>/issue/", views.document_issue, name="issue"),
    path("c/<str:commune_code>/documents/<int:pk>/replace/", views.document_replace, name="replace"),
    path("c/<str:commune_code>/requests/", views.request_list, name="requests"),
    path("c/<str:commune_code>/requests/<int:pk>/", views.request_detail, name="request"),
    path("c/<str:commune_code>/requests/<int:pk>/review/", views.request_review, name="request-review"),
    path("c/<str:commune_code>/requests/<int:pk>/approve/", views.request_approve, name="request-approve"),
    path("c/<str:commune_code>/requests/<int:pk>/refuse/", views.request_refuse, name="request-refuse"),
]
