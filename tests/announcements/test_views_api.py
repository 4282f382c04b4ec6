"""Pages and API of conformity announcements: the way through the pages, refusals shown, the supervisor's inbox,
tenancy (another province: 404), the API with its actions, the public register and the agency's public page."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from eiso.announcements import services
from eiso.announcements.models import ConformityAnnouncement
from tests.announcements.conftest import process, qms_of
from tests.conftest import login
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory, QMSFactory

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def signed(world, agency=None):
    agency = agency or world.own
    draft = services.announcement_prepare(actor=None, agency=agency)
    return services.announcement_sign(actor=world.users["agency_head"] if agency == world.own else None,
                                      announcement=draft)


def test_prepare_and_sign_through_the_pages(client, ready):
    world = ready
    head, coordinator = world.users["agency_head"], world.users["iso_coordinator"]
    login(client, coordinator)
    listing = body(client.get(reverse("announcements:announcement_list")))
    assert "The QMS has not been announced yet" in listing and "Prepare the announcement" in listing
    form = body(client.get(reverse("announcements:announcement_add")))
    assert 'value="QĐ-UBND"' in form and "QT-01" in form and "QT-09" not in form and 'name="reason"' not in form
    qms = qms_of(world.own)
    response = client.post(reverse("announcements:announcement_add"), {
        "qms": qms.pk, "scope": "Giải quyết TTHC lĩnh vực hộ tịch", "standard": "TCVN ISO 9001:2015",
        "symbol": "QĐ-UBND", "signer_position": "Chủ tịch"})
    draft = ConformityAnnouncement.objects.get()
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert (draft.status, draft.scope) == ("draft", "Giải quyết TTHC lĩnh vực hộ tịch")
    # a second "new" goes back to the draft
    assert client.get(reverse("announcements:announcement_add"))["Location"] == draft.get_absolute_url()
    # the coordinator cannot sign: 403, nothing changes
    page = body(client.get(draft.get_absolute_url()))
    assert "Only the agency head signs" in page and "Sign the decision" not in page
    assert client.post(reverse("announcements:announcement_sign", args=[draft.pk]),
                       {"signed_on": timezone.localdate().isoformat()}).status_code == 403
    assert ConformityAnnouncement.objects.get().status == "draft"
    # the head signs
    login(client, head)
    assert "Sign the decision" in body(client.get(draft.get_absolute_url()))
    page = body(client.post(reverse("announcements:announcement_sign", args=[draft.pk]),
                            {"signed_on": timezone.localdate().isoformat()}, follow=True))
    assert "01/QĐ-UBND" in page and "the supervising authority is notified" in page
    draft.refresh_from_db()
    assert (draft.status, draft.number) == ("signed", 1)
    # editing a signed one: back to it with the reason; a forced POST is refused and changes nothing
    page = body(client.get(reverse("announcements:announcement_edit", args=[draft.pk]), follow=True))
    assert "A signed announcement cannot be changed" in page
    page = body(client.post(reverse("announcements:announcement_edit", args=[draft.pk]), {
        "scope": "Sửa sau khi ký", "standard": "TCVN ISO 9001:2015", "symbol": "QĐ-UBND",
        "signer_position": "Chủ tịch"}))
    assert "A signed announcement cannot be changed" in page
    assert ConformityAnnouncement.objects.get().scope == "Giải quyết TTHC lĩnh vực hộ tịch"
    # the posting
    login(client, coordinator)
    client.post(reverse("announcements:announcement_posting", args=[draft.pk]),
                {"posted_on": timezone.localdate().isoformat(), "posted_url": "https://camduong.gov.vn/iso"})
    assert ConformityAnnouncement.objects.get().posted_url == "https://camduong.gov.vn/iso"
    # the downloads
    docx = client.get(reverse("announcements:decision_docx", args=[draft.pk]))
    assert "Số: 01/QĐ-UBND" in [p.text for t in Document(io.BytesIO(docx.content)).tables
                                for row in t.rows for c in row.cells for p in c.paragraphs]
    pdf = client.get(reverse("announcements:decision_pdf", args=[draft.pk]))
    assert pdf["Content-Type"] == "application/pdf" and PdfReader(io.BytesIO(pdf.content)).pages


def test_a_sign_refusal_says_what_to_do(client, world):
    process(world.own, "QT-01", "Đăng ký khai sinh")
    draft = services.announcement_prepare(actor=None, agency=world.own)
    login(client, world.users["agency_head"])
    page = body(client.get(draft.get_absolute_url()))
    assert "has not confirmed the effectiveness" in page
    page = body(client.post(reverse("announcements:announcement_sign", args=[draft.pk]),
                            {"signed_on": timezone.localdate().isoformat()}, follow=True))
    assert "Management reviews" in page
    assert ConformityAnnouncement.objects.get().status == "draft"


def test_the_reannouncement_prompt_and_the_prefilled_form(client, ready):
    world = ready
    current = signed(world)
    process(world.own, "QT-03", "Chứng thực bản sao")
    login(client, world.users["iso_coordinator"])
    listing = body(client.get(reverse("announcements:announcement_list")))
    assert "A re-announcement is due" in listing and "QT-03 Chứng thực bản sao" in listing
    assert "Prepare a re-announcement" in body(client.get(current.get_absolute_url()))
    form = body(client.get(reverse("announcements:announcement_add")))
    assert "Prepare a re-announcement" in form and 'value="scope_extended" selected' in form
    assert "01/QĐ-UBND" in form


def test_pages_per_role(client, ready, other_supervisor):
    world = ready
    announcement = signed(world)
    draft_of_sibling = services.announcement_prepare(actor=None, agency=world.sibling)
    for role in ("agency_head", "iso_coordinator", "staff", "auditor", "supervisor", "admin"):
        login(client, world.users[role])
        assert client.get(announcement.get_absolute_url()).status_code == 200, role
    for role in ("staff", "auditor", "supervisor"):
        login(client, world.users[role])
        assert client.get(reverse("announcements:announcement_add")).status_code == 403, role
        assert client.post(reverse("announcements:announcement_posting", args=[announcement.pk]),
                           {"posted_on": timezone.localdate().isoformat()}).status_code == 403, role
    login(client, world.users["consultant"])
    assert client.get(announcement.get_absolute_url()).status_code == 404
    login(client, world.users["agency_head"])
    assert client.get(draft_of_sibling.get_absolute_url()).status_code == 404
    login(client, other_supervisor)
    assert client.get(announcement.get_absolute_url()).status_code == 404
    assert client.post(reverse("announcements:announcement_acknowledge", args=[announcement.pk])).status_code == 404
    assert announcement.number_display not in body(client.get(reverse("announcements:received")))
    assert ConformityAnnouncement.objects.get(pk=announcement.pk).acknowledged_at is None


def test_the_supervisor_sees_and_acknowledges_the_announcements_received(client, ready):
    world = ready
    announcement = signed(world)
    services.announcement_prepare(actor=None, agency=world.sibling)  # a draft is not received
    login(client, world.users["supervisor"])
    page = body(client.get(reverse("announcements:received")))
    assert announcement.number_display in page and "Not acknowledged" in page
    assert page.count("Acknowledge receipt") == 1
    client.post(reverse("announcements:announcement_acknowledge", args=[announcement.pk]),
                {"next": reverse("announcements:received")})
    page = body(client.get(reverse("announcements:received") + "?receipt=acknowledged"))
    assert announcement.number_display in page and "Not acknowledged" not in page
    assert announcement.number_display not in body(client.get(reverse("announcements:received") + "?receipt=unread"))
    assert ConformityAnnouncement.objects.get(pk=announcement.pk).acknowledged_by == world.users["supervisor"]
    # the agency's people do not acknowledge
    login(client, world.users["agency_head"])
    assert client.post(reverse("announcements:announcement_acknowledge", args=[announcement.pk])).status_code == 403


def test_the_api(api_client, ready, other_supervisor):
    world = ready
    head, coordinator = world.users["agency_head"], world.users["iso_coordinator"]
    api_client.force_authenticate(coordinator)
    created = api_client.post(reverse("conformityannouncement-list"), {"agency": str(world.own.pk)}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert [p["code"] for p in created.json()["procedures"]] == ["QT-01", "QT-02"]
    patched = api_client.patch(reverse("conformityannouncement-detail", args=[pk]), {"scope": "Phạm vi mới"},
                               format="json")
    assert patched.status_code == 200 and patched.json()["scope"] == "Phạm vi mới"
    assert api_client.post(reverse("conformityannouncement-sign", args=[pk]), {}, format="json").status_code == 403
    api_client.force_authenticate(head)
    answer = api_client.post(reverse("conformityannouncement-sign", args=[pk]), {"number": 9}, format="json")
    assert answer.status_code == 200 and answer.json()["number_display"] == "09/QĐ-UBND"
    # signed: PATCH and DELETE refused, nothing changes
    api_client.force_authenticate(coordinator)
    refused = api_client.patch(reverse("conformityannouncement-detail", args=[pk]), {"scope": "Sửa"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "announcement_signed"
    assert api_client.delete(reverse("conformityannouncement-detail", args=[pk])).status_code == 400
    assert ConformityAnnouncement.objects.get(pk=pk).scope == "Phạm vi mới"
    docx = api_client.get(reverse("conformityannouncement-decision-docx", args=[pk]))
    assert docx.status_code == 200 and b"word/document.xml" in docx.content
    # the supervisors
    api_client.force_authenticate(other_supervisor)
    assert api_client.get(reverse("conformityannouncement-detail", args=[pk])).status_code == 404
    assert api_client.post(reverse("conformityannouncement-acknowledge", args=[pk])).status_code == 404
    api_client.force_authenticate(world.users["supervisor"])
    listed = api_client.get(reverse("conformityannouncement-list") + f"?agency={world.own.pk}").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    answer = api_client.post(reverse("conformityannouncement-acknowledge", args=[pk]))
    assert answer.status_code == 200 and answer.json()["acknowledged_at"]
    # an agency the user cannot see is unknown (400)
    api_client.force_authenticate(coordinator)
    unknown = api_client.post(reverse("conformityannouncement-list"), {"agency": str(world.foreign.pk)}, format="json")
    assert unknown.status_code == 400 and "agency" in unknown.json()["errors"]


# --- Public -----------------------------------------------------------------------------------------------------


def test_the_public_register_lists_signed_announcements_only(client, ready):
    world = ready
    announcement = signed(world)
    draft = services.announcement_prepare(actor=None, agency=world.sibling)
    foreign = services.announcement_record(actor=None, agency=world.foreign, signed_on=dt.date(2025, 9, 3), number=31,
                                           signer_name="Vũ Văn Hà")
    page = body(client.get(reverse("portal:announcement_register")))
    assert f'href="{announcement.get_absolute_url()}"' not in page  # the public pages, not the internal ones
    assert reverse("portal:announcement", args=[announcement.pk]) in page
    assert reverse("portal:announcement", args=[foreign.pk]) in page
    assert reverse("portal:announcement", args=[draft.pk]) not in page and world.sibling.name not in page
    # accent-insensitive search, province filter
    page = body(client.get(reverse("portal:announcement_register") + "?q=cam duong"))
    assert world.own.name in page and world.foreign.name not in page
    page = body(client.get(reverse("portal:announcement_register") + f"?province={world.other_province.pk}"))
    assert world.foreign.name in page and world.own.name not in page
    # drafts are not public
    assert client.get(reverse("portal:announcement", args=[draft.pk])).status_code == 404
    assert client.get(reverse("portal:announcement_pdf", args=[draft.pk])).status_code == 404
    detail = body(client.get(reverse("portal:announcement", args=[announcement.pk])))
    assert "01/QĐ-UBND" in detail and "QT-01" in detail and "Đăng ký kết hôn" in detail
    pdf = client.get(reverse("portal:announcement_pdf", args=[announcement.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "01/QĐ-UBND" in text


def test_the_public_register_is_paginated(client, db):
    province = ProvinceFactory(name="Yên Bái")
    for n in range(27):
        agency = AgencyFactory(name=f"Ủy ban nhân dân xã Số {n:02d}", admin_unit=CommuneFactory(parent=province))
        QMSFactory(agency=agency)
        services.announcement_record(actor=None, agency=agency, signed_on=dt.date(2025, 10, 1 + n % 28),
                                     number=n + 1, signer_name="Người Ký")
    first = body(client.get(reverse("portal:announcement_register")))
    second = body(client.get(reverse("portal:announcement_register") + "?page=2"))
    assert "27 announcements" in first and "Page 1 of 2" in first
    assert first.count("<tr>") - 1 == 25 and second.count("<tr>") - 1 == 2


def test_the_agency_public_page_shows_its_announcement_in_force(client, ready):
    world = ready
    url = reverse("portal:agency", args=[world.own.code])
    assert "announced in conformity" not in body(client.get(url))
    announcement = signed(world)
    page = body(client.get(url))
    assert "announced in conformity with TCVN ISO 9001:2015: decision 01/QĐ-UBND" in page
    assert reverse("portal:announcement", args=[announcement.pk]) in page


def test_the_status_card_for_other_pages(rf, ready):
    """`{% announcement_status agency %}` (for the home page): the prompt for the agency's people, nothing for a
    consultant."""
    from django.template import Context, Template

    world = ready
    signed(world)
    process(world.own, "QT-03", "Chứng thực bản sao")
    template = Template("{% load announcement_tags %}{% announcement_status agency %}")

    def render(user):
        request = rf.get("/")
        request.user, request.agency = user, world.own
        return template.render(Context({"request": request, "agency": world.own}))

    page = render(world.users["iso_coordinator"])
    assert "A re-announcement is due" in page and "QT-03 Chứng thực bản sao" in page
    assert "Prepare a re-announcement" in page
    page = render(world.users["staff"])
    assert "01/QĐ-UBND" in page and "Prepare a re-announcement" not in page
    assert render(world.users["consultant"]).strip() == ""
