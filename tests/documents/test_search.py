"""Full-text, accent-insensitive search over document codes, titles and revision content, with filters;
the same on SQLite and PostgreSQL (the suite runs on both), and never across agencies."""

import pytest
from django.urls import reverse

from eiso.documents.models import Document
from eiso.documents.services import revision_update
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
