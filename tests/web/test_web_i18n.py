"""Languages, the login page, the layout and the translation catalogue."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from langso.web import translations

pytestmark = pytest.mark.django_db

PO = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"
WEB = Path(settings.PACKAGE_DIR) / "web"


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "/static/vendor/be-vietnam-pro/400.css" in html
    assert "/static/web/langso.css" in html


def test_login_with_wrong_password_says_so(client, users):
    response = client.post(reverse("login"), {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_login_leads_home_then_to_the_commune(client, users):
    response = client.post(reverse("login"), {"username": "editor", "password": "pw-editor-123"}, follow=True)
    assert response.redirect_chain[-1][0] == "/c/09154/"
    assert "Xã Vĩnh Phú" in response.content.decode()


def test_language_switch_sets_english_and_back(client, users):
    client.force_login(users["editor"])
    html = client.get("/c/09154/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/c/09154/"})
    assert response.status_code == 302 and response["Location"] == "/c/09154/"
    html = client.get("/c/09154/").content.decode()
    assert '<html lang="en">' in html and "Household list" in html and "Log out" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/c/09154/"})
    assert "Danh sách hộ" in client.get("/c/09154/").content.decode()


def test_layout_has_navigation_user_menu_and_post_logout(client, users):
    client.force_login(users["editor"])
    html = client.get("/c/09154/").content.decode()
    assert "Làng số" in html
    assert 'href="/c/09154/households/"' in html
    assert "Cán bộ UBND xã · Xã Vĩnh Phú" in html
    assert '<form action="/logout/" method="post">' in html
    client.force_login(users["reader"])
    html = client.get("/c/09154/").content.decode()
    assert "Tổng quan tỉnh" in html and 'href="/p/25/"' in html


def test_logout_is_a_post(client, users):
    client.force_login(users["editor"])
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/c/09154/").status_code == 302


def test_committed_mo_matches_the_po():
    """The .mo in the repository is what `manage.py messages` makes of the .po."""
    assert PO.with_suffix(".mo").exists()
    po = translations.translations(polib.pofile(str(PO)))
    mo = translations.translations(polib.mofile(str(PO.with_suffix(".mo"))))
    assert po == mo
    assert len(po) > 50


def test_every_message_of_the_web_interface_is_translated():
    used = translations.messages_in_tree(WEB, Path(settings.PACKAGE_DIR) / "indicators" / "queries.py")
    catalogue = polib.pofile(str(PO))
    present = translations.catalogue_messages(catalogue)
    assert used - present == set(), "run `manage.py messages --update` and translate"
    untranslated = {e.msgid for e in catalogue.untranslated_entries()}
    assert not untranslated & {m.msgid for m in used}


def test_messages_command_compiles_and_checks(tmp_path, settings):
    locale = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "vi"}
    po.append(polib.POEntry(msgid="Households", msgstr="Hộ gia đình"))
    po.save(str(locale / "django.po"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.PACKAGE_DIR = tmp_path  # no sources: nothing missing
    call_command("messages", stdout=open("/dev/null", "w"))
    assert polib.mofile(str(locale / "django.mo")).find("Households").msgstr == "Hộ gia đình"
    call_command("messages", "--check")
    po.append(polib.POEntry(msgid="Village", msgstr="Thôn"))
    po.save(str(locale / "django.po"))
    with pytest.raises(Exception, match="problem"):
        call_command("messages", "--check", stderr=open("/dev/null", "w"))


def test_extractor_reads_templates_and_python():
    template = (
        '{% load i18n %}{% translate "Sign in" %}{{ x|default:_("(none)") }}'
        "{% blocktranslate trimmed with day=d %}counted on\n   {{ day }}{% endblocktranslate %}"
        "{% blocktranslate count counter=n %}{{ counter }} unit{% plural %}{{ counter }} units{% endblocktranslate %}"
    )
    found = translations.messages_in_template(template)
    assert translations.Message("", "Sign in") in found
    assert translations.Message("", "(none)") in found
    assert translations.Message("", "counted on %(day)s") in found
    assert translations.Message("", "%(counter)s unit", "%(counter)s units") in found
    code = 'from django.utils.translation import gettext as _\nx = _("No data")\ny = pgettext("map", "Legend")\n'
    assert translations.messages_in_python(code) == {
        translations.Message("", "No data"),
        translations.Message("map", "Legend"),
    }


def test_vietnamese_first_middleware_ignores_the_browser_language(client, settings):
    middleware = list(settings.MIDDLEWARE)
    if "langso.web.middleware.VietnameseFirstMiddleware" not in middleware:
        middleware.insert(middleware.index("django.middleware.locale.LocaleMiddleware"),
                          "langso.web.middleware.VietnameseFirstMiddleware")
        settings.MIDDLEWARE = middleware
    html = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("login"), headers={"accept-language": "vi"}).content.decode()
    assert '<html lang="en">' in html
