"""Payment QR pages: access by the four callers, forms, cashier (plain and htmx), downloads,
public page content."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from langso.payments import actions
from langso.payments.models import PaymentProfile
from langso.payments.vietqr import decode

zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")


@pytest.fixture
def profile(business, users):
    return actions.set_payment_profile(users["editor"], business, bank_bin="970436", account_number="0011004325123",
                                       account_holder="Nguyễn Văn Đức")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def urls(business, name_suffixes=("business-qr", "cashier", "qr-svg", "qr-png", "standee-a5", "standee-a6")):
    from django.urls import reverse
    return [reverse(f"payments:{n}", args=[business.commune.code, business.pk]) for n in name_suffixes]


def test_readers_see_outsiders_get_404_anonymous_goes_to_login(profile, business, users):
    for url in urls(business):
        assert client_for(users["editor"]).get(url).status_code == 200, url
        assert client_for(users["reader"]).get(url).status_code == 200, url
        assert client_for(users["outsider"]).get(url).status_code == 404, url
        response = client_for().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_business_page_shows_qr_and_account(profile, business, users):
    html = client_for(users["reader"]).get(urls(business)[0]).content.decode()
    assert "Phở Đức Ngũ Kiên" in html and "NGUYEN VAN DUC" in html and "0011 0043 2512 3" in html
    assert "<svg" in html and profile.payload in html
    assert "/qr/edit/" not in html  # a reader gets no edit link


def test_page_without_profile_offers_issuing(business, users):
    html = client_for(users["editor"]).get(urls(business)[0]).content.decode()
    assert "/qr/edit/" in html and "<svg" not in html


def test_edit_form_only_for_writers(business, users):
    from django.urls import reverse
    url = reverse("payments:profile-edit", args=[business.commune.code, business.pk])
    assert client_for(users["editor"]).get(url).status_code == 200
    assert client_for(users["reader"]).get(url).status_code == 404
    assert client_for(users["reader"]).post(url, {"bank_bin": "970436"}).status_code == 404
    assert client_for(users["outsider"]).post(url, {}).status_code == 404
    assert not PaymentProfile.objects.exists()


def test_edit_form_prefills_the_folded_owner_name_and_saves(business, users):
    from django.urls import reverse
    url = reverse("payments:profile-edit", args=[business.commune.code, business.pk])
    client = client_for(users["editor"])
    assert 'value="NGUYEN VAN DUC"' in client.get(url).content.decode()
    response = client.post(url, {"bank_bin": "970405", "account_kind": "QRIBFTTA", "account_number": "1500 2051 23456",
                                 "account_holder": "Nguyễn Văn Đức"})
    assert response.status_code == 302 and response["Location"].endswith("/qr/")
    profile = PaymentProfile.objects.get()
    assert (profile.bank_bin, profile.account_number) == ("970405", "1500205123456")


def test_edit_form_error_names_the_field_and_writes_nothing(business, users):
    from django.urls import reverse
    url = reverse("payments:profile-edit", args=[business.commune.code, business.pk])
    response = client_for(users["editor"]).post(url, {"bank_bin": "970436", "account_kind": "QRIBFTTA",
                                                      "account_number": "12AB", "account_holder": "X"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="account_number-error"' in html and "chữ số" in html
    assert not PaymentProfile.objects.exists()


def test_withdraw_from_the_edit_page(profile, business, users):
    from django.urls import reverse
    url = reverse("payments:profile-edit", args=[business.commune.code, business.pk])
    assert client_for(users["editor"]).post(url, {"action": "deactivate"}).status_code == 302
    profile.refresh_from_db()
    assert not profile.active
    assert client_for(users["editor"]).get(urls(business)[2]).status_code == 404  # no SVG for a withdrawn code


def svg_text(html: str) -> str:
    """The text of the first QR symbol drawn as inline SVG in ``html``."""
    import cairosvg
    svg = html[html.index("<svg"):html.index("</svg>") + 6]
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), output_width=400))))]
    assert len(texts) == 1
    return texts[0]


def decode_svg_or_png(body: bytes, kind: str) -> list[str]:
    if kind == "svg":
        import cairosvg
        body = cairosvg.svg2png(bytestring=body)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(body)))]


def test_downloads_decode_to_the_stored_payload(profile, business, users):
    client = client_for(users["editor"])
    svg, png = client.get(urls(business)[2]), client.get(urls(business)[3])
    assert svg["Content-Type"] == "image/svg+xml" and "attachment" in svg["Content-Disposition"]
    assert 'filename="vietqr-pho-duc-ngu-kien.svg"' in svg["Content-Disposition"]
    assert decode_svg_or_png(svg.content, "svg") == [profile.payload]
    assert decode_svg_or_png(png.content, "png") == [profile.payload]
    pdf = client.get(urls(business)[4])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_cashier_makes_a_dynamic_code(profile, business, users):
    client = client_for(users["editor"])
    url = urls(business)[1]
    response = client.get(url, {"amount": "1.250.000", "note": "Tiền phân bón"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1.250.000 ₫" in html and "Tien phan bon" in html and "<html" in html
    assert decode(svg_text(html)).amount == 1_250_000


def test_cashier_htmx_returns_the_fragment_with_a_decodable_code(profile, business, users):
    import cairosvg
    client = client_for(users["editor"])
    response = client.get(urls(business)[1], {"amount": "45000", "note": ""}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    qr = decode(svg_text(html))
    assert qr.dynamic and qr.amount == 45000 and qr.account == "0011004325123"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"amount": "45,5"}, "amount"), ({"amount": "0"}, "amount"), ({"amount": ""}, "amount"),
     ({"amount": "45000", "note": "Thanh toán hóa đơn tháng mười một"}, "note")],
)
def test_cashier_errors_name_the_field(profile, business, users, params, field):
    response = client_for(users["editor"]).get(urls(business)[1], params, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'data-field="{field}"' in html and "<svg" not in html


def test_public_page_shows_no_personal_data(profile, business, users):
    from django.urls import reverse
    response = client_for().get(reverse("payments:public", args=[profile.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phở Đức Ngũ Kiên" in html and "Vietcombank" in html and "Xã Vĩnh Phú" in html and "<svg" in html
    for private in ("Nguyễn Văn Đức", "NGUYEN VAN DUC", "0011004325123", "0011 0043", business.address,
                    business.registration_number, business.owner.cccd):
        assert private not in html, private
    png = client_for().get(reverse("payments:public-qr-png", args=[profile.public_id]))
    assert decode_svg_or_png(png.content, "png") == [profile.payload]
    cashier = client_for().get(reverse("payments:public-cashier", args=[profile.public_id]), {"amount": "20000"})
    assert cashier.status_code == 200 and cashier["X-Robots-Tag"] == "noindex"


def test_public_page_404_when_withdrawn_or_unknown(profile, users):
    from django.urls import reverse
    actions.deactivate_payment_profile(users["editor"], profile)
    assert client_for().get(reverse("payments:public", args=[profile.public_id])).status_code == 404
    assert client_for().get(reverse("payments:public", args=["nope"])).status_code == 404


def test_commune_list_and_bulk_pdf(profile, business, territory, users):
    from django.urls import reverse

    from conftest import make_business
    pypdfium2 = pytest.importorskip("pypdfium2")
    make_business(territory["a"], territory["va"], n=3, trade_name="Tạp hóa Chưa Có Mã", owner_name="Lê Văn Ba")
    client = client_for(users["reader"])
    html = client.get(reverse("payments:commune-qr", args=["09154"])).content.decode()
    assert "1 / 2" in html and "Tạp hóa Chưa Có Mã" in html and "Phở Đức Ngũ Kiên" in html
    missing = client.get(reverse("payments:commune-qr", args=["09154"]), {"missing": "1"}).content.decode()
    assert "Tạp hóa Chưa Có Mã" in missing and "Phở Đức Ngũ Kiên" not in missing
    response = client.get(reverse("payments:commune-standees-a6", args=["09154"]))
    assert response.status_code == 200
    document = pypdfium2.PdfDocument(io.BytesIO(response.content))
    assert len(document) == 1
    image = document[0].render(scale=150 / 72).to_pil()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [profile.payload]
    assert client_for(users["outsider"]).get(reverse("payments:commune-standees-a6", args=["09154"])).status_code == 404


def test_bulk_pdf_404_when_no_code(business, users):
    from django.urls import reverse
    assert client_for(users["editor"]).get(reverse("payments:commune-standees-a5", args=["09154"])).status_code == 404


def test_english_pages(profile, business, users):
    client = client_for(users["editor"])
    client.cookies["django_language"] = "en"
    html = client.get(urls(business)[0], headers={"Accept-Language": "en"}).content.decode()
    assert "Receiving account" in html and "Account holder" in html


def test_bulk_pdf_for_one_village(profile, business, territory, users):
    from django.urls import reverse

    from langso.territory.models import Village
    pypdfium2 = pytest.importorskip("pypdfium2")
    other = Village.objects.create(commune=territory["a"], name="Thôn Đông", village_type="thon", search_name="thon dong")
    client = client_for(users["editor"])
    url = reverse("payments:commune-standees-a5", args=["09154"])
    assert len(pypdfium2.PdfDocument(io.BytesIO(client.get(url, {"village": territory["va"].pk}).content))) == 1
    assert client.get(url, {"village": other.pk}).status_code == 404
    assert "Thôn Đông" in client.get(reverse("payments:commune-qr", args=["09154"])).content.decode()


def test_withdrawn_code_is_not_drawn(profile, business, users):
    actions.deactivate_payment_profile(users["editor"], profile)
    html = client_for(users["editor"]).get(urls(business)[0]).content.decode()
    assert "<svg" not in html
    assert "withdrawn" in html or "đã thu hồi" in html
