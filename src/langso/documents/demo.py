"""Demo data for documents: a DEMO CA and PKCS#12 per commune, and a register with signed documents
and residents' requests at every step. Everything says DEMO; nothing here has legal value.

The reference commune signs all its documents digitally (the reference result: 100%); the other
demo communes also enter a few hand-signed paper documents so the indicator DOC-SIGNED varies.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import QuerySet
from django.utils import timezone

from langso.accounts.models import Membership, Role
from langso.registry.models import Resident
from langso.territory.models import AdministrativeUnit

from . import actions
from .models import Document, DocumentType, RequestStatus, ResidenceRequest, SigningCredential

DEMO_PIN = "246810"  # the demo credentials' PIN, printed by the commands; never a real one
REFERENCE_COMMUNE = "09154"  # Vĩnh Phú (Phú Thọ): the reference commune of the demo
CHAIRS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hạnh", "Vũ Đức Khang",
          "Đặng Thu Lan", "Bùi Văn Long"]


def demo_communes(codes: list[str] | None = None) -> QuerySet[AdministrativeUnit]:
    """The given current communes, or those with a commune officer (the demo logins)."""
    qs = AdministrativeUnit.objects.current().communes().select_related("province")
    if codes:
        return qs.filter(code__in=codes)
    ids = Membership.objects.filter(role=Role.COMMUNE_OFFICER).values_list("unit_id", flat=True)
    return qs.filter(pk__in=ids)


def setup_pki(communes, pin: str = DEMO_PIN) -> list[SigningCredential]:
    """The demo CA and TSA (once), and a DEMO credential for each commune that has none active."""
    actions.ensure_demo_authority()
    made = []
    for commune in communes:
        if not SigningCredential.objects.filter(commune=commune, active=True).exists():
            made.append(actions.issue_demo_credential(commune, pin))
    return made


def chair_of(commune: AdministrativeUnit) -> str:
    return CHAIRS[int(commune.code) % len(CHAIRS)]


def _texts(commune: AdministrativeUnit, year: int) -> list[tuple[str, str, str, str]]:
    name = commune.full_name
    return [
        (DocumentType.DECISION, f"Về việc kiện toàn Tổ công nghệ số cộng đồng {name}",
         "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n"
         "Căn cứ Quyết định số 924/QĐ-TTg ngày 02 tháng 8 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương trình "
         "chuyển đổi số trong xây dựng nông thôn mới, hướng tới nông thôn mới thông minh giai đoạn 2021 - 2025;\n"
         "Xét đề nghị của công chức Văn phòng - Thống kê,\n"
         f"Điều 1. Kiện toàn Tổ công nghệ số cộng đồng {name} gồm trưởng thôn, đoàn viên thanh niên và cán bộ "
         "phụ trách chuyển đổi số của xã.\n"
         "Điều 2. Tổ có nhiệm vụ hướng dẫn người dân cài đặt, sử dụng dịch vụ công trực tuyến, thanh toán không dùng "
         "tiền mặt và các nền tảng số.\n"
         "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng HĐND và UBND xã, các thành viên có tên tại "
         "Điều 1 chịu trách nhiệm thi hành Quyết định này.",
         "Như Điều 3;\nTT Đảng ủy, HĐND xã;\nLưu: VT."),
        (DocumentType.NOTICE, "Về lịch tiếp nhận hồ sơ trực tuyến dịp cuối năm",
         f"Ủy ban nhân dân {name} thông báo: từ ngày 01/12/{year}, bộ phận một cửa tiếp nhận hồ sơ trực tuyến "
         "mọi ngày trong tuần; kết quả có chữ ký số được trả qua mạng, người dân không phải đến trụ sở.\n"
         "Người dân tra cứu tình trạng hồ sơ bằng mã hồ sơ được cấp khi nộp.",
         "Các thôn, tổ dân phố;\nĐài truyền thanh xã;\nLưu: VT."),
        (DocumentType.REPORT, f"Kết quả chuyển đổi số năm {year}",
         f"Năm {year}, {name} đã số hóa sổ hộ, gắn tọa độ cho các hộ gia đình, cấp mã QR thanh toán cho hộ kinh "
         "doanh và ký số toàn bộ văn bản đi.\n"
         "Nhiệm vụ năm tới: duy trì cập nhật dữ liệu, mở rộng dịch vụ công trực tuyến toàn trình.",
         "UBND tỉnh (Văn phòng Điều phối NTM);\nLưu: VT."),
    ]


def create_documents(commune: AdministrativeUnit, *, pin: str = DEMO_PIN, paper: int = 0,
                     requests: bool = True, seed: int = 2025) -> list[Document]:
    """Signed and issued documents, one draft, ``paper`` hand-signed entries and residents' requests
    at each step (received, under review, signed, refused). Skips a commune that has documents."""
    if Document.objects.filter(commune=commune).exists():
        return []
    chair = chair_of(commune)
    today = timezone.localdate()
    made = []
    for doc_type, subject, body, recipients in _texts(commune, today.year):
        draft = actions.create_draft(None, commune, doc_type=doc_type, subject=subject, body=body,
                                     recipients=recipients, signer_name=chair)
        made.append(actions.issue_document(None, actions.sign_document(None, draft, pin)))
    made.append(actions.create_draft(None, commune, doc_type=DocumentType.NOTICE,
                                     subject="Về việc ra quân vệ sinh môi trường (dự thảo)",
                                     body="Nội dung đang soạn thảo.", signer_name=chair))
    for i in range(paper):
        made.append(actions.register_paper_document(
            None, commune, doc_type=DocumentType.NOTICE, subject=f"Thông báo bằng giấy số {i + 1} (ký tay)",
            signer_name=chair, issued_on=today - dt.timedelta(days=3 + i)))
    if requests:
        _requests(commune, chair, pin, random.Random(seed + int(commune.code)))
    return made


def _requests(commune: AdministrativeUnit, chair: str, pin: str, rng: random.Random) -> None:
    people = list(Resident.objects.living_here().filter(commune=commune, cccd__isnull=False)
                  .select_related("household")[:40])
    if len(people) < 4:
        return
    rng.shuffle(people)
    purposes = ["Bổ sung hồ sơ vay vốn ngân hàng chính sách", "Làm thủ tục nhập học cho con",
                "Bổ sung hồ sơ xin việc", "Đăng ký tham gia bảo hiểm y tế hộ gia đình"]
    steps = [RequestStatus.ISSUED, RequestStatus.IN_REVIEW, RequestStatus.SUBMITTED, RequestStatus.REJECTED]
    for person, purpose, target in zip(people, purposes, steps, strict=False):
        req = actions.submit_residence_request(
            commune, full_name=person.full_name, date_of_birth=person.date_of_birth, cccd=person.cccd,
            address=person.household.address or commune.full_name, purpose=purpose)
        if target == RequestStatus.SUBMITTED:
            continue
        if target == RequestStatus.REJECTED:
            actions.refuse_residence_request(None, req, "Người đề nghị đã chuyển khẩu khỏi xã (dữ liệu mẫu).")
            continue
        req = actions.start_review(None, req)
        if target == RequestStatus.ISSUED:
            actions.approve_residence_request(None, req, pin, signer_name=chair)


def issued_requests(commune: AdministrativeUnit) -> QuerySet[ResidenceRequest]:
    return ResidenceRequest.objects.filter(commune=commune, status=RequestStatus.ISSUED)
