"""The announcement's rules: prepared by the managers from the QMS, signed by the head alone once the processes are
published and the effectiveness confirmed, numbered per agency and year, immutable once signed, superseded by a
re-announcement, acknowledged by the province's supervisor; and the contracts other apps read."""

import datetime as dt

import pytest
from django.utils import timezone

from eiso.announcements import selectors, services
from eiso.announcements.models import ConformityAnnouncement
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.organizations.models import Agency
from tests.announcements.conftest import confirm_effectiveness, process, qms_of
from tests.factories import AgencyFactory, QMSFactory, user_with_role

pytestmark = pytest.mark.django_db


def stored(announcement):
    return ConformityAnnouncement.objects.get(pk=announcement.pk)


def state(announcement):
    row = stored(announcement)
    return (row.status, row.number, row.year, row.signed_on, row.scope, row.procedures, row.notified_at,
            AuditLogEntry.objects.count())


def prepare(world, agency=None, **values):
    return services.announcement_prepare(actor=world.users["iso_coordinator"], agency=agency or world.own, **values)


def sign(world, announcement, **values):
    return services.announcement_sign(actor=world.users["agency_head"], announcement=announcement, **values)


def test_the_draft_is_prefilled_from_the_qms_and_its_published_processes(ready):
    world = ready
    draft = prepare(world)
    assert (draft.status, draft.kind, draft.replaces, draft.number) == ("draft", "first", None, None)
    assert draft.qms == qms_of(world.own)
    assert draft.procedure_codes == ["QT-01", "QT-02"]  # the unpublished QT-09 is not in scope
    assert draft.procedures[0] == {"code": "QT-01", "title": "Đăng ký khai sinh", "procedures": ["1.001193"]}
    assert (draft.symbol, draft.signer_position, draft.standard) == ("QĐ-UBND", "Chủ tịch", "TCVN ISO 9001:2015")
    assert world.own.name in draft.scope
    # a QMS with a written scope gives the scope
    qms = qms_of(world.sibling)
    qms.scope = "Toàn bộ thủ tục hành chính cấp xã"
    qms.save()
    head = user_with_role("agency_head", world.sibling)
    other = services.announcement_prepare(actor=head, agency=world.sibling)
    assert other.scope == "Toàn bộ thủ tục hành chính cấp xã" and other.procedures == []


def test_the_symbol_follows_the_kind_of_agency(world):
    department = AgencyFactory(code="LCI-STP", name="Sở Tư pháp tỉnh Lào Cai", kind="department",
                               admin_unit=world.province)
    QMSFactory(agency=department)
    draft = services.announcement_prepare(actor=None, agency=department)
    assert (draft.symbol, draft.signer_position) == ("QĐ-STP", "Giám đốc")
    assert selectors.default_symbol(world.own) == "QĐ-UBND"


def test_only_the_managers_prepare_and_one_draft_at_a_time(ready):
    world = ready
    for role in ("staff", "auditor", "supervisor", "consultant"):
        with pytest.raises(PermissionDeniedError):
            services.announcement_prepare(actor=world.users[role], agency=world.own)
    draft = services.announcement_prepare(actor=world.users["agency_head"], agency=world.own)
    with pytest.raises(ApplicationError, match="already being prepared"):
        prepare(world)
    assert list(ConformityAnnouncement.objects.values_list("pk", flat=True)) == [draft.pk]


def test_only_the_agency_head_signs(ready):
    world = ready
    draft = prepare(world)
    before = state(draft)
    for role in ("iso_coordinator", "staff", "supervisor", "admin"):
        with pytest.raises(PermissionDeniedError, match="Only the agency head signs"):
            services.announcement_sign(actor=world.users[role], announcement=draft)
        assert state(draft) == before, role
    signed = sign(world, draft)
    today = timezone.localdate()
    assert (signed.status, signed.number, signed.year, signed.signed_on) == ("signed", 1, today.year, today)
    assert signed.number_display == "01/QĐ-UBND"
    assert (signed.signed_by, signed.signer_name) == (world.users["agency_head"], str(world.users["agency_head"]))
    assert signed.notified_at is not None and signed.acknowledged_at is None
    assert signed.effectiveness_confirmed_on == today
    assert signed.procedure_codes == ["QT-01", "QT-02"]


def test_signing_is_refused_without_a_published_process(world):
    confirm_effectiveness(world.own, world.users["agency_head"])
    process(world.own, "QT-01", "Đăng ký khai sinh", publish=False)
    draft = prepare(world)
    before = state(draft)
    with pytest.raises(ApplicationError, match="no published procedure process") as refused:
        sign(world, draft)
    assert refused.value.code == "cannot_sign"
    assert state(draft) == before


def test_signing_is_refused_without_the_heads_confirmation_of_effectiveness(world):
    process(world.own, "QT-01", "Đăng ký khai sinh")
    draft = prepare(world)
    before = state(draft)
    with pytest.raises(ApplicationError, match="has not confirmed the effectiveness") as refused:
        sign(world, draft)
    assert "Management reviews" in refused.value.message
    assert state(draft) == before
    # a confirmation two years before the signature is too old; one of the year before is enough
    head = world.users["agency_head"]
    today = timezone.localdate()
    confirm_effectiveness(world.own, head, on=dt.date(today.year - 2, 6, 1))
    with pytest.raises(ApplicationError, match="has not confirmed the effectiveness"):
        sign(world, draft)
    confirm_effectiveness(world.own, head, on=dt.date(today.year - 1, 6, 1))
    assert sign(world, draft).effectiveness_confirmed_on == dt.date(today.year - 1, 6, 1)


def test_numbers_follow_per_agency_and_year(ready):
    world = ready
    today = timezone.localdate()
    last_year = today.year - 1
    confirm_effectiveness(world.own, world.users["agency_head"], year=last_year, on=dt.date(last_year, 3, 1))
    first = sign(world, prepare(world), signed_on=dt.date(last_year, 4, 1))
    second = sign(world, prepare(world), signed_on=dt.date(last_year, 9, 1))
    third = sign(world, prepare(world))
    sibling_head = user_with_role("agency_head", world.sibling)
    process(world.sibling, "QT-01", "Đăng ký khai sinh")
    confirm_effectiveness(world.sibling, sibling_head, year=last_year, on=dt.date(last_year, 3, 1))
    sibling = services.announcement_sign(actor=sibling_head, announcement=services.announcement_prepare(
        actor=sibling_head, agency=world.sibling), signed_on=dt.date(last_year, 5, 1))
    assert [(a.year, a.number) for a in (first, second, third, sibling)] == [
        (last_year, 1), (last_year, 2), (today.year, 1), (last_year, 1)]
    # the number the office's register gave is kept; a used one is refused
    confirm_effectiveness(world.own, world.users["agency_head"])
    draft = prepare(world)
    with pytest.raises(ApplicationError, match="already used"):
        sign(world, draft, number=1)
    assert sign(world, stored(draft), number=15).number_display == "15/QĐ-UBND"
    with pytest.raises(ApplicationError, match="cannot be in the future"):
        sign(world, prepare(world), signed_on=today + dt.timedelta(days=1))


def test_a_signed_announcement_never_changes(ready):
    world = ready
    signed = sign(world, prepare(world))
    before = state(signed)
    # the service
    with pytest.raises(ApplicationError, match="cannot be changed") as refused:
        services.announcement_update(actor=world.users["iso_coordinator"], announcement=signed, scope="Khác")
    assert refused.value.code == "announcement_signed"
    with pytest.raises(ApplicationError, match="cannot be changed"):
        services.announcement_delete(actor=world.users["iso_coordinator"], announcement=signed)
    # the model
    row = stored(signed)
    row.scope = "Phạm vi sửa tay"
    with pytest.raises(ApplicationError, match="cannot be changed"):
        row.save()
    row = stored(signed)
    row.status = "draft"
    with pytest.raises(ApplicationError):
        row.save()
    with pytest.raises(ApplicationError):
        stored(signed).delete()
    # bulk writes
    with pytest.raises(ApplicationError):
        ConformityAnnouncement.objects.filter(pk=signed.pk).update(number=99)
    with pytest.raises(ApplicationError):
        ConformityAnnouncement.objects.filter(pk=signed.pk).delete()
    assert state(signed) == before
    # its lifecycle is still recorded
    posted = services.announcement_posting_record(actor=world.users["iso_coordinator"], announcement=signed,
                                                  posted_on=signed.signed_on, posted_url="https://camduong.gov.vn/qd")
    assert (posted.posted_on, posted.posted_url) == (signed.signed_on, "https://camduong.gov.vn/qd")


def test_a_draft_can_be_changed_and_deleted(ready):
    world = ready
    draft = prepare(world)
    process(world.own, "QT-03", "Chứng thực bản sao")
    changed = services.announcement_update(actor=world.users["iso_coordinator"], announcement=draft,
                                           scope="Giải quyết TTHC lĩnh vực hộ tịch, chứng thực", symbol="QĐ-CT")
    assert (changed.scope, changed.symbol) == ("Giải quyết TTHC lĩnh vực hộ tịch, chứng thực", "QĐ-CT")
    assert changed.procedure_codes == ["QT-01", "QT-02", "QT-03"]  # refreshed
    with pytest.raises(ApplicationError) as refused:
        services.announcement_update(actor=world.users["iso_coordinator"], announcement=draft, scope=" ")
    assert "scope" in refused.value.errors
    with pytest.raises(ApplicationError, match="cannot be changed"):
        services.announcement_update(actor=world.users["iso_coordinator"], announcement=draft, number=4)
    with pytest.raises(PermissionDeniedError):
        services.announcement_update(actor=world.users["staff"], announcement=draft, scope="X")
    services.announcement_delete(actor=world.users["iso_coordinator"], announcement=draft)
    assert not ConformityAnnouncement.objects.exists()


def test_a_reannouncement_supersedes_the_announcement_in_force(ready):
    world = ready
    first = sign(world, prepare(world))
    assert selectors.reannouncement_due(world.own) == []
    process(world.own, "QT-03", "Chứng thực bản sao")
    draft = prepare(world)
    assert (draft.kind, draft.replaces, draft.reason) == ("reannouncement", first, "scope_extended")
    assert "QT-03 Chứng thực bản sao" in draft.reason_detail
    with pytest.raises(ApplicationError) as refused:
        services.announcement_update(actor=world.users["iso_coordinator"], announcement=draft, reason="")
    assert "reason" in refused.value.errors
    assert selectors.current_announcement(world.own) == first
    again = sign(world, draft)
    first = stored(first)
    assert (first.status, first.superseded_on) == ("superseded", again.signed_on)
    assert (again.status, again.number, again.procedure_codes) == ("signed", 2, ["QT-01", "QT-02", "QT-03"])
    assert selectors.current_announcement(world.own) == again
    assert selectors.reannouncement_due(world.own) == []
    assert selectors.announced_on_by_agency([world.own.pk]) == {world.own.pk: first.signed_on}


def test_reannouncement_due_names_the_procedures_added_and_removed(ready):
    world = ready
    sign(world, prepare(world))
    process(world.own, "QT-05", "Đăng ký khai tử")
    withdrawn = ConformityAnnouncement.objects.get().procedures[1]["code"]
    from eiso.processes.models import Process

    Process.objects.filter(agency=world.own, code=withdrawn).update(kind="internal")  # no longer a procedure
    reasons = selectors.reannouncement_due(world.own)
    assert len(reasons) == 2
    assert "published since the announcement: QT-05 Đăng ký khai tử" in reasons[0]
    assert "no longer in force since the announcement: QT-02 Đăng ký kết hôn" in reasons[1]
    assert selectors.suggested_reason(world.own)[0] == "scope_adjusted"


def test_reannouncement_due_after_a_merger_and_a_new_scope(ready):
    world = ready
    signed = sign(world, prepare(world))
    earlier = AgencyFactory(name="Ủy ban nhân dân xã Cũ", admin_unit=world.own.admin_unit,
                            valid_to=signed.signed_on - dt.timedelta(days=30))
    earlier.successors.add(world.own)
    assert selectors.reannouncement_due(world.own) == []  # merged before the announcement: in its scope already
    merged = AgencyFactory(name="Ủy ban nhân dân xã Bảo Nhai", admin_unit=world.own.admin_unit,
                           valid_to=signed.signed_on + dt.timedelta(days=10))
    merged.successors.add(world.own)
    reasons = selectors.reannouncement_due(world.own)
    assert len(reasons) == 1 and "Ủy ban nhân dân xã Bảo Nhai was merged into this agency" in reasons[0]
    assert selectors.suggested_reason(world.own)[0] == "merger"
    qms = qms_of(world.own)
    qms.scope = "Toàn bộ TTHC và hoạt động nội bộ"
    qms.save()
    assert "The scope of the QMS was changed after the announcement." in selectors.reannouncement_due(world.own)
    assert selectors.reannouncement_due(world.sibling) == []  # never announced: nothing to re-announce


def test_the_supervisor_of_the_province_acknowledges_receipt(ready, other_supervisor):
    world = ready
    draft = prepare(world)
    supervisor = world.users["supervisor"]
    with pytest.raises(ApplicationError, match="not signed yet"):
        services.announcement_acknowledge(actor=supervisor, announcement=draft)
    signed = sign(world, draft)
    assert list(selectors.received_for(supervisor)) == [signed]
    assert selectors.unread_count(user=supervisor) == 1
    assert list(selectors.received_for(other_supervisor)) == []
    for actor in (world.users["agency_head"], world.users["iso_coordinator"], other_supervisor):
        with pytest.raises(PermissionDeniedError):
            services.announcement_acknowledge(actor=actor, announcement=signed)
    done = services.announcement_acknowledge(actor=supervisor, announcement=signed)
    assert (done.acknowledged_by, done.acknowledged_at is not None) == (supervisor, True)
    assert selectors.unread_count(user=supervisor) == 0
    with pytest.raises(ApplicationError, match="already acknowledged"):
        services.announcement_acknowledge(actor=supervisor, announcement=done)


def test_the_posting_is_checked(ready):
    world = ready
    coordinator = world.users["iso_coordinator"]
    draft = prepare(world)
    with pytest.raises(ApplicationError, match="Sign the announcement first"):
        services.announcement_posting_record(actor=coordinator, announcement=draft, posted_on=timezone.localdate())
    signed = sign(world, draft)
    for posted_on, url, field in ((signed.signed_on - dt.timedelta(days=1), "", "posted_on"),
                                  (signed.signed_on + dt.timedelta(days=1), "", "posted_on"),
                                  (signed.signed_on, "camduong.gov.vn", "posted_url")):
        with pytest.raises(ApplicationError) as refused:
            services.announcement_posting_record(actor=coordinator, announcement=signed, posted_on=posted_on,
                                                 posted_url=url)
        assert field in refused.value.errors
    with pytest.raises(PermissionDeniedError):
        services.announcement_posting_record(actor=world.users["staff"], announcement=signed,
                                             posted_on=signed.signed_on)
    assert stored(signed).posted_on is None


def test_announced_on_by_agency_in_one_query(ready, django_assert_num_queries):
    world = ready
    office = AgencyFactory(name="Văn phòng UBND phường Cam Đường", kind="other", admin_unit=world.own.admin_unit,
                           parent=world.own)
    qms_of(world.own).agencies.add(world.own, office)
    signed = sign(world, prepare(world))
    ids = [world.own.pk, office.pk, world.sibling.pk, world.foreign.pk]
    with django_assert_num_queries(1):
        result = selectors.announced_on_by_agency(ids)
    assert result == {world.own.pk: signed.signed_on, office.pk: signed.signed_on}
    assert selectors.current_announcement(office) == signed  # the shared QMS's announcement
    assert selectors.current_announcement(world.sibling) is None
    assert selectors.announced_on_by_agency([]) == {}


def test_a_decision_signed_on_paper_is_entered_by_the_system_or_an_administrator(world):
    with pytest.raises(PermissionDeniedError):
        services.announcement_record(actor=world.users["agency_head"], agency=world.own,
                                     signed_on=dt.date(2024, 5, 2), number=12, signer_name="Lê Văn Chủ Tịch")
    first = services.announcement_record(actor=world.users["admin"], agency=world.own, signed_on=dt.date(2024, 5, 2),
                                         number=12, signer_name="Lê Văn Chủ Tịch")
    assert (first.status, first.number_display, first.kind, first.notified_at is not None) == (
        "signed", "12/QĐ-UBND", "first", True)
    assert first.procedures == [] and selectors.NO_PROCEDURES_NOTE in first.scope
    again = services.announcement_record(actor=None, agency=world.own, signed_on=dt.date(2025, 8, 4), number=40,
                                         signer_name="Lê Văn Chủ Tịch", reason="merger", reason_detail="Sáp nhập")
    assert (again.kind, again.replaces, stored(first).status) == ("reannouncement", first, "superseded")
    assert Agency.objects.get(pk=world.own.pk)  # untouched
