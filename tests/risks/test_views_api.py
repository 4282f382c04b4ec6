"""Pages and API of the context and the risk register: happy paths, the heat map (SVG parsed back and its
counts), pages per role, tenancy (another agency: 404), refusals shown and changing nothing."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction, RiskMatrix
from eiso.risks.services import risk_create
from tests.conftest import login
from tests.factories import user_with_role
from tests.risks.conftest import add_action

SVG = "{http://www.w3.org/2000/svg}"


def _counts(svg_text: str) -> list[dict]:
    """Per grid (current, residual): {(likelihood, consequence): count} read from the cells' titles and texts."""
    root = ET.fromstring(svg_text.encode())
    grids = []
    for grid in root.iter(f"{SVG}g"):
        if grid.get("class") != "heatmap-grid":
            continue
        cells = {}
        for cell in grid.iter(f"{SVG}g"):
            if not (cell.get("class") or "").startswith("cell "):
                continue
            title = cell.find(f"{SVG}title").text  # "Likelihood 4 × consequence 4 (high): 1"
            likelihood, consequence = int(title.split()[1]), int(title.split()[4])
            text = cell.find(f"{SVG}text").text or "0"
            assert title.endswith(f": {text}")
            cells[(likelihood, consequence)] = (int(text), cell.get("class").split()[1],
                                                cell.find(f"{SVG}rect").get("fill"))
        grids.append(cells)
    return grids


@pytest.mark.django_db
def test_the_heat_map_svg_holds_the_right_counts(client, world, risk):
    # given two risks in cell 4×4 (one reviewed down to 2×2), one in 1×1, and one of another agency
    coordinator = world.users["iso_coordinator"]
    risk_create(actor=coordinator, agency=world.own, description="Hai", likelihood=4, consequence=4)
    risk_create(actor=coordinator, agency=world.own, description="Ba", likelihood=1, consequence=1)
    risk_create(actor=None, agency=world.sibling, description="Khác", likelihood=4, consequence=4)
    Risk.objects.filter(pk=risk.pk).update(residual_likelihood=2, residual_consequence=2, residual_level="low")
    login(client, world.users["auditor"])
    # when
    response = client.get(reverse("risks:heatmap"))
    # then a well-formed SVG file with 25 cells per grid and the counts of the own agency
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert " style=" not in body
    current, residual = _counts(body)
    assert len(current) == len(residual) == 25
    assert current[(4, 4)][:2] == (2, "level-high") and current[(1, 1)][:2] == (1, "level-low")
    assert sum(c for c, _level, _fill in current.values()) == 3
    assert residual[(2, 2)][0] == 1 and sum(c for c, _level, _fill in residual.values()) == 1
    assert current[(3, 3)][1:] == ("level-medium", "#ffe082")
    # and the filters of the register apply to it
    filtered, _residual = _counts(client.get(reverse("risks:heatmap") + "?level=low").content.decode())
    assert sum(c for c, _level, _fill in filtered.values()) == 1


@pytest.mark.django_db
def test_the_register_shows_the_heat_map_and_its_table(client, world, risk):
    login(client, world.users["staff"])
    page = client.get(reverse("risks:risk_list")).content.decode()
    assert risk.description in page
    assert "<svg" in page and 'id="heatmap-table"' in page and "2 / 0" not in page
    assert "1 / 0 <small" in page  # cell 4×4: one current, no residual
    ET.fromstring(page[page.index("<svg"):page.index("</svg>") + 6].encode())


@pytest.mark.django_db
def test_list_filters(client, world, risk, process):
    # given a risk with an overdue action, an opportunity of the whole QMS
    RiskAction.objects.filter(pk=add_action(world, risk).pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    other = risk_create(actor=None, agency=world.own, kind="opportunity", description="Cơ hội số hóa", likelihood=1,
                        consequence=1)
    login(client, world.users["auditor"])
    url = reverse("risks:risk_list")

    def shown(query):
        page = client.get(url + query).content.decode()
        return risk.description in page, other.description in page

    # then
    assert shown("?overdue=true") == (True, False)
    assert shown("?overdue=false") == (False, True)
    assert shown("?kind=opportunity") == (False, True)
    assert shown("?level=high") == (True, False)
    assert shown(f"?process={process.pk}") == (True, False)
    assert shown("?status=open") == (True, True)
    assert shown("?status=closed") == (False, False)


@pytest.mark.django_db
def test_treat_and_review_through_the_pages(client, world, risk):
    coordinator, staff = world.users["iso_coordinator"], world.users["staff"]
    login(client, coordinator)
    # a refused transition is shown and changes nothing
    Risk.objects.filter(pk=risk.pk).update(treatment="")
    response = client.post(reverse("risks:risk_transition", args=[risk.pk]), {"action": "start_treatment"},
                           follow=True)
    assert "Choose the treatment option first" in response.content.decode()
    assert Risk.objects.get(pk=risk.pk).status == "open"
    # the assessment is edited: the level is recomputed
    response = client.post(reverse("risks:risk_edit", args=[risk.pk]), {
        "kind": "risk", "description": risk.description, "likelihood": "2", "consequence": "3", "treatment": "reduce",
        "identified_on": "2026-01-05"})
    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).level == "medium"
    client.post(reverse("risks:action_add", args=[risk.pk]), {
        "description": "Đào tạo thêm", "owner": str(staff.pk), "due_on": dt.date.today().isoformat()})
    client.post(reverse("risks:risk_transition", args=[risk.pk]), {"action": "start_treatment"})
    action = RiskAction.objects.get()
    login(client, staff)
    client.post(reverse("risks:action_done", args=[action.pk]), {"evidence": "Danh sách dự đào tạo"})
    login(client, coordinator)
    client.post(reverse("risks:risk_review", args=[risk.pk]), {
        "residual_likelihood": "1", "residual_consequence": "3", "is_effective": "yes", "comment": "Ổn"})
    client.post(reverse("risks:risk_transition", args=[risk.pk]), {"action": "close"})
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.status, stored.residual_level, stored.is_effective) == ("closed", "low", True)
    page = client.get(stored.get_absolute_url()).content.decode()
    assert "Danh sách dự đào tạo" in page and "1 – Rare" in page


@pytest.mark.django_db
def test_create_a_risk_page_refuses_out_of_scale_values(client, world):
    login(client, world.users["agency_head"])
    url = reverse("risks:risk_add")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "risk", "description": "X", "likelihood": "7", "consequence": "2"})
    assert response.status_code == 200 and not Risk.objects.exists()
    response = client.post(url, {"kind": "opportunity", "description": "Cơ hội", "likelihood": "5",
                                 "consequence": "2", "treatment": "reduce"})
    assert "does not suit a opportunity" in response.content.decode() or "does not suit" in response.content.decode()
    assert not Risk.objects.exists()


@pytest.mark.django_db
def test_context_pages(client, world):
    login(client, world.users["iso_coordinator"])
    response = client.post(reverse("risks:issue_add"), {"kind": "external", "description": "Luật mới về hộ tịch",
                                                        "effect": "Phải sửa quy trình", "status": "active",
                                                        "identified_on": "2026-02-01"})
    issue = ContextIssue.objects.get()
    assert response.status_code == 302 and issue.agency == world.own
    client.post(reverse("risks:party_add"), {"name": "Công dân", "requirements": "Trả kết quả đúng hạn"})
    party = InterestedParty.objects.get()
    client.post(reverse("risks:issue_edit", args=[issue.pk]), {
        "kind": "external", "description": issue.description, "status": "no_longer_relevant",
        "identified_on": "2026-02-01", "reviewed_on": "2026-03-01"})
    assert ContextIssue.objects.get().status == "no_longer_relevant"
    login(client, world.users["auditor"])
    page = client.get(reverse("risks:context")).content.decode()
    assert "Luật mới về hộ tịch" in page and "Công dân" in page
    assert reverse("risks:party_edit", args=[party.pk]) not in page
    assert client.get(reverse("risks:party_edit", args=[party.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("agency_head", 200), ("iso_coordinator", 200), ("staff", 403),
                                              ("auditor", 403), ("consultant", 403), ("supervisor", 403)])
def test_matrix_page_per_role(client, world, role, status):
    login(client, world.users[role])
    assert client.get(reverse("risks:matrix")).status_code == status


@pytest.mark.django_db
def test_matrix_page_saves_and_shows_errors(client, world):
    login(client, world.users["agency_head"])
    url = reverse("risks:matrix")
    bad = {"likelihood_size": "3", "likelihood_labels": "a\nb\nc", "consequence_size": "3",
           "consequence_labels": "a\nb", "low_max": "2", "medium_max": "5"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "Give 3 labels for the consequence scale" in response.content.decode()
    assert not RiskMatrix.objects.exists()
    response = client.post(url, {**bad, "consequence_labels": "x\ny\nz"})
    assert response.status_code == 302
    stored = RiskMatrix.objects.get(agency=world.own)
    assert (stored.likelihood_size, stored.consequence_labels, stored.medium_max) == (3, ["x", "y", "z"], 5)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "auditor", "supervisor"])
def test_readers_see_the_register_without_write_buttons(client, world, risk, role):
    login(client, world.users[role])
    page = client.get(risk.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("risks:risk_transition", args=[risk.pk]) not in body
    assert reverse("risks:risk_edit", args=[risk.pk]) not in body


@pytest.mark.django_db
def test_another_agency_and_consultants_get_404(client, api_client, world, risk):
    action = add_action(world, risk)
    for user in (user_with_role("agency_head", world.sibling), world.users["consultant"]):
        login(client, user)
        assert client.get(risk.get_absolute_url()).status_code == 404
        assert client.post(reverse("risks:risk_transition", args=[risk.pk]),
                           {"action": "start_treatment"}).status_code == 404
        assert client.post(reverse("risks:action_done", args=[action.pk]), {"evidence": "x"}).status_code == 404
        assert client.get(reverse("risks:heatmap") + f"?agency={world.own.pk}").status_code == 404
        api_client.force_authenticate(user)
        assert api_client.get(reverse("risk-detail", args=[risk.pk])).status_code == 404
        assert api_client.get(reverse("risk-list")).json()["count"] == 0
        assert api_client.get(reverse("risk-matrix", args=[world.own.pk])).status_code == 404
    assert Risk.objects.get(pk=risk.pk).status == "open"


@pytest.mark.django_db
def test_api_happy_path(api_client, world, process):
    head, staff = world.users["agency_head"], world.users["staff"]
    api_client.force_authenticate(head)
    # the matrix: defaults, then a refused configuration
    matrix_url = reverse("risk-matrix", args=[world.own.pk])
    assert api_client.get(matrix_url).json()["is_stored"] is False
    refused = api_client.put(matrix_url, {"likelihood_size": 5, "consequence_size": 5, "low_max": 10,
                                          "likelihood_labels": list("abcde"), "consequence_labels": list("abcde"),
                                          "medium_max": 8}, format="json")
    assert refused.status_code == 400 and "medium_max" in refused.json()["errors"]
    assert not RiskMatrix.objects.exists()
    # a risk outside the scales: 400, nothing stored; then a good one
    data = {"agency": str(world.own.pk), "process": str(process.pk), "description": "Thiếu người", "likelihood": 9,
            "consequence": 3, "treatment": "reduce"}
    refused = api_client.post(reverse("risk-list"), data, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "outside_matrix"
    assert not Risk.objects.exists()
    created = api_client.post(reverse("risk-list"), {**data, "likelihood": 3}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (created.json()["level"], created.json()["score"]) == ("medium", 9)
    patched = api_client.patch(reverse("risk-detail", args=[pk]), {"consequence": 5}, format="json")
    assert patched.status_code == 200 and patched.json()["level"] == "high"
    action = api_client.post(reverse("riskaction-list"), {"risk": pk, "description": "Tuyển thêm", "owner": staff.pk,
                                                          "due_on": dt.date.today().isoformat()}, format="json")
    assert action.status_code == 201, action.json()
    detail = lambda name: reverse(f"risk-{name}", args=[pk])  # noqa: E731
    assert api_client.post(detail("transition"), {"action": "start_treatment"}, format="json").json()["status"] == \
        "treating"
    api_client.force_authenticate(staff)
    done = api_client.post(reverse("riskaction-done", args=[action.json()["id"]]), {"evidence": "QĐ tuyển dụng"},
                           format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    api_client.force_authenticate(head)
    reviewed = api_client.post(detail("review"), {"residual_likelihood": 1, "residual_consequence": 5,
                                                  "is_effective": True}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"
    assert reviewed.json()["residual_level"] == "medium"
    assert api_client.post(detail("transition"), {"action": "close"}, format="json").json()["status"] == "closed"
    assert api_client.get(reverse("risk-list") + "?status=closed").json()["count"] == 1
    # context
    issue = api_client.post(reverse("contextissue-list"), {"agency": str(world.own.pk), "kind": "internal",
                                                           "description": "Thiếu máy tính"}, format="json")
    assert issue.status_code == 201 and issue.json()["identified_on"] == dt.date.today().isoformat()
    patched = api_client.patch(reverse("contextissue-detail", args=[issue.json()["id"]]),
                               {"status": "no_longer_relevant"}, format="json")
    assert patched.json()["status"] == "no_longer_relevant"
    party = api_client.post(reverse("interestedparty-list"), {"agency": str(world.own.pk), "name": "Doanh nghiệp",
                                                              "requirements": "Thủ tục nhanh"}, format="json")
    assert party.status_code == 201
    # staff reads but does not write
    api_client.force_authenticate(staff)
    assert api_client.get(reverse("interestedparty-list")).json()["count"] == 1
    refused = api_client.patch(reverse("interestedparty-detail", args=[party.json()["id"]]), {"name": "X"},
                               format="json")
    assert refused.status_code == 403 and InterestedParty.objects.get().name == "Doanh nghiệp"


def test_the_process_filter_offers_only_the_agency_processes(client, world, process):
    """A coordinator who also audits in another agency sees that agency's processes, but the register of the agency
    worked in offers only its own in the process filter (the demo coordinator had 700 options)."""
    from eiso.organizations.models import QMS, RoleAssignment
    from eiso.processes.services import process_create

    coordinator = world.users["iso_coordinator"]
    RoleAssignment.objects.create(user=coordinator, agency=world.sibling, role="auditor")
    elsewhere = process_create(actor=None, qms=QMS.objects.get(agency=world.sibling), kind="procedure", code="QT-09",
                               title="Chứng thực bản sao của xã bên")
    login(client, coordinator)
    page = client.get(reverse("risks:risk_list")).content.decode()
    assert f'value="{process.pk}"' in page
    assert f'value="{elsewhere.pk}"' not in page and "Chứng thực bản sao của xã bên" not in page
