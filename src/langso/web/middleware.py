"""Vietnamese first, whatever the browser says.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language`` when the user has not
chosen a language. Many office computers and phones in Vietnam run an English-language browser
(``en-US``), so that would greet commune clerks in English. This middleware, placed just before
``LocaleMiddleware``, hides the header: the language is then the one chosen with the language
switch (the ``django_language`` cookie set by ``/i18n/setlang/``) or ``LANGUAGE_CODE`` ("vi").
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
