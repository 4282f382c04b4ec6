"""Reads of conformity announcements: the contracts other apps use (announced_on_by_agency, current_announcement,
reannouncement_due), what a draft is pre-filled with, the supervisors' inbox and the public register."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils.translation import gettext as _

from eiso.announcements.choices import ISSUED_STATUSES, AnnouncementStatus, ReannouncementReason
from eiso.announcements.models import ConformityAnnouncement
from eiso.core.permissions import scope_for
from eiso.core.text import fold
from eiso.organizations.choices import AgencyKind

DEFAULT_STANDARD = "TCVN ISO 9001:2015"
# What a decision is signed as, by kind of agency: (prefix of the signature block, position).
SIGNERS = {
    AgencyKind.PEOPLES_COMMITTEE: ("TM. Ủy ban nhân dân", "Chủ tịch"),
    AgencyKind.DEPARTMENT: ("", "Giám đốc"),
    AgencyKind.SUB_DEPARTMENT: ("", "Chi cục trưởng"),
    AgencyKind.MINISTRY: ("", "Bộ trưởng"),
}
DEFAULT_SIGNER = ("", "Thủ trưởng cơ quan")
NO_PROCEDURES_NOTE = "Chưa có quy trình giải quyết thủ tục hành chính được ban hành trong hệ thống eISO."


# --- Contracts ------------------------------------------------------------------------------------------------


def announced_on_by_agency(agency_ids) -> dict:
    """{agency id: the date of its first signed announcement} for the agencies that announced (in one query). An
    agency that shares the QMS of another (the Office of a People's Committee) counts as announced with it."""
    wanted = set(agency_ids)
    if not wanted:
        return {}
    rows = (ConformityAnnouncement.objects.filter(status__in=ISSUED_STATUSES)
            .filter(Q(agency_id__in=wanted) | Q(qms__agencies__in=wanted))
            .values_list("agency_id", "qms__agencies", "signed_on"))
    result: dict = {}
    for agency_id, sharing_id, signed_on in rows:
        for candidate in {agency_id, sharing_id} & wanted:
            if candidate not in result or signed_on < result[candidate]:
                result[candidate] = signed_on
    return result


def current_announcement(agency) -> ConformityAnnouncement | None:
    """The agency's announcement in force: its own, else that of a QMS it shares (None: not announced)."""
    queryset = ConformityAnnouncement.objects.filter(status=AnnouncementStatus.SIGNED).select_related(
        "agency", "qms", "signed_by")
    return (queryset.filter(agency=agency).first()
            or queryset.filter(qms__agencies=agency).exclude(agency=agency).order_by("-signed_on").first())


def current_announcement_many(*, agency_ids) -> dict:
    """`current_announcement` of many agencies in two queries (the PAR-index province page):
    {agency_id: announcement}; agencies not announced are absent."""
    agency_ids = list(agency_ids)
    queryset = ConformityAnnouncement.objects.filter(status=AnnouncementStatus.SIGNED).select_related(
        "agency", "qms", "signed_by")
    found: dict = {}
    for announcement in queryset.filter(agency_id__in=agency_ids):
        found.setdefault(announcement.agency_id, announcement)
    missing = [pk for pk in agency_ids if pk not in found]
    if missing:
        shared = (queryset.filter(qms__agencies__in=missing).annotate(member_id=F("qms__agencies"))
                  .order_by("-signed_on"))
        for announcement in shared:
            if announcement.agency_id != announcement.member_id:
                found.setdefault(announcement.member_id, announcement)
    return found


def reannouncement_due(agency) -> list[str]:
    """Why the agency must announce again (Decision 19/2014 Art. 4: whenever the scope is extended, narrowed or
    adjusted): procedures published or withdrawn since the announcement in force, agencies merged into it after
    it, the scope of the QMS rewritten. Empty when none, or when the agency has no announcement of its own."""
    current = ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.SIGNED).select_related(
        "qms").first()
    if current is None:
        return []
    return [text for _reason, text in _changes(current)]


def _changes(current: ConformityAnnouncement) -> list[tuple[str, str]]:
    """(reason key, text) of each change since `current` was signed."""
    changes = []
    now = {item["code"]: item for item in procedures_snapshot(current.qms)}
    then = {item.get("code"): item for item in current.procedures or [] if isinstance(item, dict)}
    added = [now[code] for code in sorted(set(now) - set(then))]
    removed = [then[code] for code in sorted(set(then) - set(now))]
    if added:
        changes.append((ReannouncementReason.SCOPE_EXTENDED,
                        _("Procedures published since the announcement: %(list)s.") % {"list": _named(added)}))
    if removed:
        changes.append((ReannouncementReason.SCOPE_NARROWED,
                        _("Procedures no longer in force since the announcement: %(list)s.")
                        % {"list": _named(removed)}))
    merged = current.agency.predecessors.filter(valid_to__isnull=False, valid_to__gte=current.signed_on).order_by(
        "valid_to", "name")
    for predecessor in merged:
        changes.append((ReannouncementReason.MERGER,
                        _("%(agency)s was merged into this agency (until %(date)s), after the announcement.")
                        % {"agency": predecessor.name, "date": predecessor.valid_to.strftime("%d/%m/%Y")}))
    if current.qms_scope.strip() != (current.qms.scope or "").strip():
        changes.append((ReannouncementReason.SCOPE_ADJUSTED,
                        _("The scope of the QMS was changed after the announcement.")))
    return changes


def _named(items: list[dict]) -> str:
    return "; ".join(" ".join(filter(None, [str(i.get("code") or ""), str(i.get("title") or "")])) for i in items)


def can_read(user, agency) -> bool:
    """Whether the user reads the agency's announcements (drafts included): its people but consultants, the
    supervisors of its province, administrators."""
    scope = scope_for(user)
    return (scope.is_global or agency.pk in scope.agencies_for("view", ConformityAnnouncement.permitted_roles)
            or (scope.supervises_for("view", ConformityAnnouncement.permitted_roles)
                and agency.province_id in scope.supervised_provinces))


# --- What a draft is made of ----------------------------------------------------------------------------------


def published_procedure_processes(qms):
    """The QMS's procedure processes whose current revision is published (what the public posting shows)."""
    from eiso.documents.choices import RevisionStatus
    from eiso.processes.choices import ProcessKind
    from eiso.processes.models import Process

    return (Process.objects.filter(qms=qms, kind=ProcessKind.PROCEDURE,
                                   document__current_revision__status=RevisionStatus.PUBLISHED)
            .prefetch_related("procedures").order_by("code"))


def procedures_snapshot(qms) -> list[dict]:
    """The procedures in scope as they stand: [{code, title, procedures: [catalogue codes]}], by code."""
    return [{"code": p.code, "title": p.title, "procedures": sorted(pr.code for pr in p.procedures.all())}
            for p in published_procedure_processes(qms)]


def suggested_reason(agency) -> tuple[str, str]:
    """The reason and the "what changed" text a re-announcement of the agency is pre-filled with."""
    current = ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.SIGNED).select_related(
        "qms").first()
    changes = _changes(current) if current is not None else []
    keys = {key for key, _text in changes}
    if ReannouncementReason.MERGER in keys:
        reason = ReannouncementReason.MERGER
    elif keys == {ReannouncementReason.SCOPE_EXTENDED}:
        reason = ReannouncementReason.SCOPE_EXTENDED
    elif keys == {ReannouncementReason.SCOPE_NARROWED}:
        reason = ReannouncementReason.SCOPE_NARROWED
    else:
        reason = ReannouncementReason.SCOPE_ADJUSTED
    return reason, "\n".join(text for _key, text in changes)


def hosted_qms(agency):
    """The active QMS hosted by the agency (the one it announces), or None."""
    from eiso.organizations.models import QMS

    return QMS.objects.filter(agency=agency, is_active=True).order_by("created_at").first()


def default_scope(agency, qms) -> str:
    if qms is not None and (qms.scope or "").strip():
        return qms.scope.strip()
    return (f"Các hoạt động liên quan đến việc giải quyết thủ tục hành chính cho tổ chức, cá nhân thuộc thẩm quyền "
            f"của {agency.name}.")


def default_symbol(agency) -> str:
    """The symbol of the agency's decisions: the one of its last announcement, else from its kind: QĐ-UBND for a
    People's Committee, QĐ-<short name or code> for a department ("LCI-STP" → QĐ-STP)."""
    last = (ConformityAnnouncement.objects.filter(agency=agency).exclude(symbol="").order_by("-created_at")
            .values_list("symbol", flat=True).first())
    if last:
        return last
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return "QĐ-UBND"
    short = (agency.short_name or "").strip()
    if short and " " not in short:
        return f"QĐ-{short.upper()}"
    tail = (agency.code or "").rsplit("-", 1)[-1]
    if tail and any(ch.isalpha() for ch in tail) and tail != agency.code:
        return f"QĐ-{tail.upper()}"
    return "QĐ"


def default_signer(agency) -> tuple[str, str]:
    """(prefix of the signature block, position) by kind of agency."""
    return SIGNERS.get(agency.kind, DEFAULT_SIGNER)


def confirmation_for(agency, on: dt.date) -> dt.date | None:
    """The day the head confirmed the effectiveness of the QMS, in `on`'s year or the year before, not after `on`
    (None: no confirmation). Reads the reviews app's contract; without it, None."""
    from eiso.compliance.contracts import EFFECTIVENESS_CONFIRMED_ON, resolve

    confirmed_on = resolve(EFFECTIVENESS_CONFIRMED_ON)
    if confirmed_on is None:
        return None
    for year in (on.year, on.year - 1):
        day = confirmed_on(agency=agency, year=year)
        if day is not None and day <= on:
            return day
    return None


# --- The supervisors' inbox -----------------------------------------------------------------------------------


def received_for(user):
    """Signed announcements notified to the supervising authorities the user belongs to (every province for a
    national supervisor or an administrator), newest first."""
    scope = scope_for(user)
    queryset = ConformityAnnouncement.objects.restrict(user, "view").filter(
        status__in=ISSUED_STATUSES, notified_at__isnull=False)
    if not scope.is_global:
        queryset = queryset.filter(agency__province__in=scope.supervised_provinces)
    return queryset.select_related("agency", "agency__province", "acknowledged_by").order_by("-notified_at")


def unread_count(*, user) -> int:
    """Announcements notified to the user's supervising authority whose receipt is not acknowledged (menu badge)."""
    scope = scope_for(user)
    if not scope.supervised_provinces:
        return 0
    return received_for(user).filter(acknowledged_at__isnull=True).count()


# --- The public register --------------------------------------------------------------------------------------


def public_announcements(*, q: str = "", province=None, status: str = ""):
    """Signed announcements for everyone (no login): searchable by agency name (accent-insensitive) and province."""
    queryset = ConformityAnnouncement.objects.filter(status__in=ISSUED_STATUSES).select_related(
        "agency", "agency__province")
    key = fold(q)
    if key:
        queryset = queryset.filter(Q(agency__search_text__contains=key)
                                   | Q(agency__province__search_text__contains=key))
    if province:
        queryset = queryset.filter(agency__province_id=province)
    if status in ISSUED_STATUSES:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-signed_on", "-number")


def public_announcement(pk) -> ConformityAnnouncement | None:
    return public_announcements().filter(pk=pk).first()


def public_provinces():
    """The provinces with at least one signed announcement, for the register's filter."""
    from eiso.organizations.models import AdminUnit

    return AdminUnit.objects.filter(
        pk__in=ConformityAnnouncement.objects.filter(status__in=ISSUED_STATUSES).values("agency__province")
    ).order_by("name")
