"""Full-text, accent-insensitive search over document codes, titles and revision content, with filters;
the same on SQLite and PostgreSQL (the suite runs on both), and never across agencies."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eiso.documents.models import Document
from eiso.documents.services import revision_start, revision_transition, revision_update
from tests.documents.conftest import new_document, publish

pytestmark = pytest.mark.django_db

SECTIONS = {"sections": [
    {"heading": "Phạm vi áp dụng", "body": "Áp dụng cho việc tiếp nhận hồ sơ tại Bộ phận Một cửa."},
    {"heading": "Trách nhiệm", "body": "Công chức địa chính thẩm định hồ sơ đất đai."},
]}


@pytest.fixture
def library(world):
    manual = new_document(world.own, "STCL", "Sổ tay chất lượng", kind="manual")
    revision_update(actor=None, revision=manual.revisions.get(), content=SECTIONS)
    publish(manual)
    policy = new_document(world.own, "CSCL", "Chính sách chất lượng")
    foreign = new_document(world.foreign, "STCL", "Sổ tay chất lượng")
    revision_update(actor=None, revision=foreign.revisions.get(), content=SECTIONS)
    return {"manual": manual, "policy": policy, "foreign": foreign}


@pytest.mark.parametrize(("query", "expected"), [
    ("thẩm định hồ sơ đất đai", {"STCL"}),  # words of the content, with accents
    ("tham dinh dat dai", {"STCL"}),  # without accents, not adjacent
    ("DIA CHINH", {"STCL"}),  # case
    ("chất lượng", {"STCL", "CSCL"}),  # titles
    ("CSCL", {"CSCL"}),  # code
    ("tham dinh xay dung", set()),  # every word must occur
])
def test_search_finds_content_titles_and_codes_without_accents(world, library, query, expected):
    found = Document.objects.filter(agency=world.own).search(query)
    assert {d.code for d in found} == expected


def test_the_page_searches_and_filters_by_status_and_kind_within_the_agency(client, world, library):
    client.force_login(world.users["staff"])
    url = reverse("documents:document_list")
    page = client.get(url, {"q": "tiep nhan ho so mot cua"}).content.decode()
    assert library["manual"].get_absolute_url() in page
    assert library["foreign"].get_absolute_url() not in page  # the same content in another agency
    drafts = client.get(url, {"status": "draft"}).content.decode()
    assert library["policy"].get_absolute_url() in drafts and library["manual"].get_absolute_url() not in drafts
    manuals = client.get(url, {"kind": "manual"}).content.decode()
    assert library["manual"].get_absolute_url() in manuals and library["policy"].get_absolute_url() not in manuals


def test_the_api_searches_with_the_same_filters(client, world, library):
    client.force_login(world.users["staff"])
    body = client.get(reverse("document-list"), {"q": "tham dinh dat dai", "status": "published"}).json()
    assert [row["code"] for row in body["results"]] == ["STCL"]
    assert body["results"][0]["id"] == str(library["manual"].pk)


def test_the_unit_filter_offers_only_the_agency_s_units(client, world, library):
    client.force_login(world.users["staff"])
    page = client.get(reverse("documents:document_list")).content.decode()
    assert world.own_unit.name in page and world.foreign_unit.name not in page and world.sibling_unit.name not in page


OLD = {"sections": [{"heading": "Lưu trữ", "body": "Hồ sơ lưu tại kho lưu trữ giấy của văn phòng."}]}
NEW = {"sections": [{"heading": "Lưu trữ", "body": "Hồ sơ lưu trên hệ thống điện tử."}]}


@pytest.fixture
def reissued(world):
    """A document whose issue 1 said "kho luu tru giay", issue 2 (published) "he thong dien tu", and whose
    draft issue 3 says "so hoa"."""
    document = new_document(world.own, "QT-LT", "Quy trình lưu trữ")
    revision_update(actor=None, revision=document.revisions.get(), content=OLD)
    publish(document)
    revision_update(actor=None, revision=revision_start(actor=None, document=document), content=NEW)
    publish(document)
    draft = revision_start(actor=None, document=document)
    revision_update(actor=None, revision=draft, content={"sections": [{"heading": "Số hoá", "body": "Số hoá hồ sơ."}]})
    return document


@pytest.mark.parametrize(("query", "history", "found"), [
    ("he thong dien tu", False, True),  # the current (published) issue
    ("so hoa", False, True),  # the draft in progress
    ("quy trinh luu tru", False, True),  # the title
    ("kho luu tru giay", False, False),  # only in the superseded issue 1...
    ("kho luu tru giay", True, True),  # ...found when asked to search earlier revisions
    ("he thong dien tu", True, True),
    ("kho luu tru xay dung", True, False),  # every word must occur in one text
])
def test_the_list_searches_the_latest_and_current_revisions_and_on_request_every_earlier_one(
        world, reissued, query, history, found):
    matches = Document.objects.filter(agency=world.own).search(query, history=history)
    assert (reissued in matches) is found


def test_the_search_text_follows_the_workflow(world, reissued):
    """Publishing the draft makes it the current revision; withdrawing keeps the document findable."""
    def found(query):
        return Document.objects.filter(pk=reissued.pk).search(query).exists()

    assert found("so hoa") and found("he thong dien tu")
    publish(reissued)  # issue 3 supersedes issue 2
    assert found("so hoa") and not found("he thong dien tu")
    revision = reissued.revisions.get(number=3)
    revision_transition(actor=None, revision=revision, action="withdraw", comment="Bãi bỏ")
    reissued.refresh_from_db()
    assert reissued.current_revision is None and found("so hoa")  # withdrawn, still readable and found


def test_editing_the_title_keeps_the_content_searchable(world, reissued):
    reissued.title = "Quy trình quản lý hồ sơ"
    reissued.save(update_fields=["title"])
    document = Document.objects.filter(pk=reissued.pk)
    assert document.search("quan ly ho so").exists() and document.search("so hoa").exists()


def test_the_page_and_the_api_search_earlier_revisions_on_request(client, world, reissued):
    client.force_login(world.users["staff"])
    url, api = reverse("documents:document_list"), reverse("document-list")
    assert reissued.get_absolute_url() not in client.get(url, {"q": "kho luu tru giay"}).content.decode()
    assert reissued.get_absolute_url() in client.get(url, {"q": "kho luu tru giay", "history": "on"}).content.decode()
    assert client.get(api, {"q": "kho luu tru giay"}).json()["results"] == []
    rows = client.get(api, {"q": "kho luu tru giay", "history": "true"}).json()["results"]
    assert [row["code"] for row in rows] == ["QT-LT"]


def test_a_searched_list_is_not_counted_in_full(client, world):
    """55 matches: the first page says "more than 50" without counting them all; the second gives the total."""
    for n in range(55):
        new_document(world.own, f"HD-{n:02d}", f"Hướng dẫn nghiệp vụ {n}")
    client.force_login(world.users["staff"])
    url = reverse("documents:document_list")
    first = client.get(url, {"q": "huong dan nghiep vu"}).content.decode()
    second = client.get(url, {"q": "huong dan nghiep vu", "page": 2}).content.decode()
    unsearched = client.get(url).content.decode()
    with translation.override("vi"):
        more = _("More than %(shown)s results: narrow the search to see fewer.")
        total = ngettext("%(counter)s result", "%(counter)s results", 55)

    def count_line(page):
        return re.search(r'<p class="count">(.*?)</p>', page).group(1)

    assert count_line(first) == more % {"shown": 50} and "HD-00" in first and "HD-54" not in first
    assert count_line(second) == total % {"counter": 55} and "HD-54" in second
    assert count_line(unsearched) == total % {"counter": 55}  # an unsearched list is counted as before
