"""Matrix rows: trainings and consultants (pages and API).

Courses and consultants are records of the supervising authority: read and written by the supervisor of the
province (own and sibling share one; the foreign scope's belong to the other province's authority: 404) and the
administrator; every agency role gets 404 on them. Participants, engagements and issues belong to the agency
concerned: its head and ISO coordinator read them (staff, auditors, consultants and other agencies: 404), the
supervisor writes them (the head and coordinator: 403), except issues, which the head and coordinator may also
report and resolve. The totals are for supervisors (agency people: 403). In a body, a course, consultant or
engagement the user cannot see is unknown (400).
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.trainings.consultant_services import consultant_create, engagement_add, issue_report
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue, Participant, Training
from eiso.trainings.services import certificates_issue, participant_add, training_create
from tests.permission_matrix.harness import SCOPES, Check, Entry, authority_of, each_scope, everyone, only

WRITERS = frozenset({"supervisor"})  # + the administrator
MANAGERS = frozenset({"agency_head", "iso_coordinator"})


# --- Policies ---------------------------------------------------------------------------------------------------


def auth_read(role: str, scope: str) -> int:
    """A course or a consultant: the supervisor of its province and the administrator."""
    if role == "admin":
        return 200
    return 200 if role == "supervisor" and scope != "foreign" else 404


def auth_write(ok: int):
    return lambda role, scope: 404 if auth_read(role, scope) == 404 else ok


def part_read(role: str, scope: str) -> int:
    """A participant, an engagement, an issue: the head and coordinator of its agency, the supervisor, the admin."""
    if role == "admin":
        return 200
    if role == "supervisor":
        return 404 if scope == "foreign" else 200
    return 200 if role in MANAGERS and scope == "own" else 404


def part_write(ok: int):
    def policy(role, scope):
        if part_read(role, scope) == 404:
            return 404
        return ok if role in ("admin", "supervisor") else 403

    return policy


def issue_write(ok: int):
    """Reported and resolved by the supervisor and by the head and coordinator of the agency served."""
    return lambda role, scope: 404 if part_read(role, scope) == 404 else ok


def create_in_register(ok: int):
    """API create naming the scope's authority, course, consultant: unseen is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (role == "supervisor" and scope != "foreign"):
            return ok
        return 400

    return policy


def create_course(ok: int):
    """API create of a course or consultant for the scope's authority (body `authority`): an agency role sees the
    authority of its province (403: not a supervisor); the other province's is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (role == "supervisor" and scope != "foreign"):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def report_issue(ok: int):
    """API create of an issue on the scope's engagement: unseen is unknown (400)."""
    return lambda role, scope: 400 if part_read(role, scope) == 404 else ok


supervisors = only(WRITERS, 200)


# --- The objects: one per scope, made on first use --------------------------------------------------------------


authority = authority_of


def training(mx, scope: str, stage: str = "main") -> Training:
    """main: a finished course with the scope agency's certified participant (marker), one who passed and waits for
    a certificate, and one who did not pass; draft: a course without certificates."""
    topic = f"TRAINING-marker-{stage}-{scope}"
    found = Training.objects.filter(topic=topic).first()
    if found:
        return found
    made = training_create(actor=None, authority=authority(mx, scope), topic=topic, kind="awareness",
                           start_on=dt.date(2025, 3, 18), end_on=dt.date(2025, 3, 20))
    if stage == "main":
        agency = mx.agency[scope]
        participant_add(actor=None, training=made, agency=agency, full_name=f"PARTICIPANT-marker-{scope}",
                        passed=True)
        certificates_issue(actor=None, training=made, on=dt.date(2025, 3, 20))
        participant_add(actor=None, training=made, agency=agency, full_name=f"WAITING-{scope}", passed=True)
        participant_add(actor=None, training=made, agency=agency, full_name=f"PLAIN-{scope}")
    return made


def participant(mx, scope: str, kind: str = "PARTICIPANT-marker") -> Participant:
    name = f"{kind}-{scope}"
    return training(mx, scope).participants.get(full_name=name)


def consultant(mx, scope: str) -> Consultant:
    name = f"CONSULTANT-marker-{scope}"
    found = Consultant.objects.filter(name=name).first()
    if found:
        return found
    return consultant_create(actor=None, authority=authority(mx, scope), name=name, licence_number="01/2024",
                             licence_valid_until=dt.date(2030, 1, 1))


def engagement(mx, scope: str) -> ConsultantEngagement:
    firm = consultant(mx, scope)
    found = ConsultantEngagement.objects.filter(consultant=firm).first()
    if found:
        return found
    return engagement_add(actor=None, consultant=firm, agency=mx.agency[scope], started_on=dt.date(2025, 1, 1),
                          ended_on=dt.date(2030, 12, 31), scope_note=f"ENGAGEMENT-marker-{scope}")


def issue(mx, scope: str) -> ConsultantIssue:
    found = ConsultantIssue.objects.filter(description=f"ISSUE-marker-{scope}").first()
    return found or issue_report(actor=None, engagement=engagement(mx, scope), description=f"ISSUE-marker-{scope}",
                                 reported_on=dt.date(2025, 6, 1))


def every_scope(mx):
    for scope in SCOPES:
        training(mx, scope)
        issue(mx, scope)


# --- Paths, states and data -------------------------------------------------------------------------------------


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def of_agency(name):
    """An agency page drilled into the scope's agency (`?agency=`)."""

    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name) + f"?agency={mx.agency[scope].pk}"

    return path


def main_pk(mx, role, scope):
    return training(mx, scope).pk


def draft_pk(mx, role, scope):
    return training(mx, scope, "draft").pk


def participant_pk(kind="PARTICIPANT-marker"):
    return lambda mx, role, scope: participant(mx, scope, kind).pk


def consultant_pk(mx, role, scope):
    return consultant(mx, scope).pk


def engagement_pk(mx, role, scope):
    return engagement(mx, scope).pk


def issue_pk(mx, role, scope):
    return issue(mx, scope).pk


def participants_of(mx, role, scope):
    return Participant.objects.filter(training=training(mx, scope)).count()


def certified_of(mx, role, scope):
    return Participant.objects.filter(training=training(mx, scope), certificate_sequence__isnull=False).count()


def trainings_of_dost(mx, role, scope):
    return Training.objects.filter(agency=mx.world.dost).count()


def consultants_of_dost(mx, role, scope):
    return Consultant.objects.filter(agency=mx.world.dost).count()


def training_field(field, stage="main"):
    return lambda mx, role, scope: getattr(Training.objects.filter(pk=training(mx, scope, stage).pk).first(), field,
                                           None)


def training_exists(stage):
    """Looked up by its marker, without making it again."""
    return lambda mx, role, scope: Training.objects.filter(topic=f"TRAINING-marker-{stage}-{scope}").exists()


def participant_state(kind, field="position"):
    def state(mx, role, scope):
        found = Participant.objects.filter(training=training(mx, scope), full_name=f"{kind}-{scope}").first()
        return getattr(found, field) if found else None

    return state


def consultant_phone(mx, role, scope):
    return Consultant.objects.get(pk=consultant(mx, scope).pk).phone


def engagements_of(mx, role, scope):
    return ConsultantEngagement.objects.filter(consultant=consultant(mx, scope)).count()


def engagement_note(mx, role, scope):
    found = ConsultantEngagement.objects.filter(consultant=consultant(mx, scope)).first()
    return found.scope_note if found else None


def issues_of(mx, role, scope):
    return ConsultantIssue.objects.filter(consultant=consultant(mx, scope)).count()


def issue_status(mx, role, scope):
    return ConsultantIssue.objects.get(pk=issue(mx, scope).pk).status


def xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("hoc-vien.xlsx", buffer.getvalue())


def import_file(mx, role, scope):
    return {"file": xlsx([["Mã cơ quan", "Họ và tên", "Chức vụ"], [mx.agency[scope].code, f"Imported {role}", ""]])}


def course_form(mx, role, scope):
    return {"authority": mx.world.dost.pk, "topic": f"New course by {role}", "kind": "awareness",
            "start_on": "2025-05-06", "end_on": "2025-05-07"}


def course_edit_form(mx, role, scope):
    return {"topic": f"TRAINING-marker-main-{scope}", "kind": "awareness", "start_on": "2025-03-18",
            "end_on": "2025-03-20", "location": f"Changed by {role}"}


def participant_form(mx, role, scope):
    return {"agency": mx.agency[scope].pk, "full_name": f"Added by {role}", "position": ""}


def participant_edit_form(mx, role, scope):
    return {"agency": mx.agency[scope].pk, "full_name": f"PARTICIPANT-marker-{scope}", "position": f"By {role}",
            "attended": "on", "passed": "on"}


def participant_api_body(mx, role, scope):
    """A complete PUT body of the scope's participant waiting for a certificate (agency, full name: required): its
    name (by which it is found), attendance and pass kept, the position changed."""
    return {"agency": str(mx.agency[scope].pk), "full_name": f"WAITING-{scope}", "position": f"Put by {role}",
            "user": None, "attended": True, "passed": True}


def consultant_form(mx, role, scope):
    return {"authority": mx.world.dost.pk, "name": f"New consultant by {role}", "is_active": "on"}


def consultant_edit_form(mx, role, scope):
    return {"name": f"CONSULTANT-marker-{scope}", "licence_number": "01/2024", "licence_valid_until": "2030-01-01",
            "phone": f"By {role}", "is_active": "on"}


def engagement_form(mx, role, scope):
    return {"agency": mx.agency[scope].pk, "started_on": "2031-01-01", "scope_note": f"By {role}"}


def engagement_edit_form(mx, role, scope):
    return {"started_on": "2025-01-01", "ended_on": "2030-12-31", "scope_note": f"Changed by {role}"}


ISSUE_FORM = {"description": "Chuyên gia không đến"}
RESOLVE_FORM = {"resolution": "Đã xử lý"}
TRAINING_MARKER = lambda mx, s: f"TRAINING-marker-main-{s}"  # noqa: E731
PARTICIPANT_MARKER = lambda mx, s: f"PARTICIPANT-marker-{s}"  # noqa: E731
CONSULTANT_MARKER = lambda mx, s: f"CONSULTANT-marker-{s}"  # noqa: E731
ENGAGEMENT_MARKER = lambda mx, s: f"ENGAGEMENT-marker-{s}"  # noqa: E731
ISSUE_MARKER = lambda mx, s: f"ISSUE-marker-{s}"  # noqa: E731


def page(name, path, *checks, scoped=True) -> Entry:
    return Entry(f"trainings:{name}", "page", path, tuple(checks), scoped=scoped)


def api(name, path, *checks, scoped=True) -> Entry:
    return Entry(name, "api", path, tuple(checks), scoped=scoped)


TRAININGS: list[Entry] = [
    # --- Courses ------------------------------------------------------------------------------------------------
    page("training_list", listed("trainings:training_list"),
         Check("get", everyone(200), shows=each_scope(TRAINING_MARKER, auth_read))),
    page("training_add", lambda mx, r, s: reverse("trainings:training_add"),
         Check("get", only(WRITERS, 200)),
         Check("post", only(WRITERS, 302), data=course_form, state=trainings_of_dost), scoped=False),
    page("training_detail", at("trainings:training_detail", main_pk),
         Check("get", auth_read, shows=lambda mx, r, s: {f"PARTICIPANT-marker-{s}": True})),
    page("training_edit", at("trainings:training_edit", main_pk),
         Check("get", auth_write(200)),
         Check("post", auth_write(302), data=course_edit_form, state=training_field("location"))),
    page("training_delete", at("trainings:training_delete", draft_pk),
         Check("get", auth_write(200)),
         Check("post", auth_write(302), state=training_exists("draft"))),
    page("participant_add", at("trainings:participant_add", main_pk),
         Check("post", auth_write(302), data=participant_form, state=participants_of)),
    page("participant_import", at("trainings:participant_import", main_pk),
         Check("post", auth_write(200), data=import_file, state=participants_of)),
    page("certificates_issue", at("trainings:certificates_issue", main_pk),
         Check("post", auth_write(302), state=certified_of)),
    page("training_certificates", at("trainings:training_certificates", main_pk), Check("get", auth_read)),
    page("import_template", lambda mx, r, s: reverse("trainings:import_template"), Check("get", everyone(200)),
         scoped=False),
    page("participant_edit", at("trainings:participant_edit", participant_pk()),
         Check("get", part_write(200)),
         Check("post", part_write(302), data=participant_edit_form,
               state=participant_state("PARTICIPANT-marker"))),
    page("participant_delete", at("trainings:participant_delete", participant_pk("PLAIN")),
         Check("post", part_write(302), state=participant_state("PLAIN", "pk"))),
    page("participant_certificate", at("trainings:participant_certificate", participant_pk()),
         Check("get", part_read)),
    page("totals", lambda mx, r, s: reverse("trainings:totals"), Check("get", only(WRITERS, 200)), scoped=False),
    page("totals_xlsx", lambda mx, r, s: reverse("trainings:totals_xlsx"), Check("get", only(WRITERS, 200)),
         scoped=False),
    page("agency_trainings", of_agency("trainings:agency_trainings"),
         Check("get", part_read, shows=lambda mx, r, s: {
             PARTICIPANT_MARKER(mx, other): other == s for other in SCOPES})),
    # --- Consultants --------------------------------------------------------------------------------------------
    page("consultant_list", listed("trainings:consultant_list"),
         Check("get", everyone(200), shows=each_scope(CONSULTANT_MARKER, auth_read))),
    page("consultant_add", lambda mx, r, s: reverse("trainings:consultant_add"),
         Check("get", only(WRITERS, 200)),
         Check("post", only(WRITERS, 302), data=consultant_form, state=consultants_of_dost), scoped=False),
    page("agency_consultants", of_agency("trainings:agency_consultants"),
         Check("get", part_read, shows=lambda mx, r, s: {
             ISSUE_MARKER(mx, other): other == s for other in SCOPES})),
    page("consultant_detail", at("trainings:consultant_detail", consultant_pk),
         Check("get", auth_read)),
    page("consultant_edit", at("trainings:consultant_edit", consultant_pk),
         Check("get", auth_write(200)),
         Check("post", auth_write(302), data=consultant_edit_form, state=consultant_phone)),
    page("engagement_add", at("trainings:engagement_add", consultant_pk),
         Check("post", auth_write(302), data=engagement_form, state=engagements_of)),
    page("engagement_edit", at("trainings:engagement_edit", engagement_pk),
         Check("get", part_write(200)),
         Check("post", part_write(302), data=engagement_edit_form, state=engagement_note)),
    page("engagement_delete", at("trainings:engagement_delete", engagement_pk),
         Check("post", part_write(302), state=engagements_of)),
    page("issue_report", at("trainings:issue_report", engagement_pk),
         Check("post", issue_write(302), data=lambda mx, r, s: ISSUE_FORM, state=issues_of)),
    page("issue_resolve", at("trainings:issue_resolve", issue_pk),
         Check("post", issue_write(302), data=lambda mx, r, s: RESOLVE_FORM, state=issue_status)),
    # --- API ------------------------------------------------------------------------------------------------------
    api("training-list", listed("training-list"),
        Check("get", everyone(200), shows=each_scope(TRAINING_MARKER, auth_read)),
        Check("post", create_course(201), state=lambda mx, r, s: Training.objects.count(),
              data=lambda mx, r, s: {"authority": str(authority(mx, s).pk), "topic": f"API course {r}",
                                     "kind": "awareness", "start_on": "2025-05-06", "end_on": "2025-05-07"})),
    api("training-detail", at("training-detail", main_pk),
        Check("get", auth_read),
        Check("patch", auth_write(200), data=lambda mx, r, s: {"location": f"Patched by {r}"},
              state=training_field("location")),
        Check("put", auth_write(200), data=lambda mx, r, s: {**course_edit_form(mx, r, s), "location": f"Put by {r}"},
              state=training_field("location")),
        Check("delete", auth_write(400), state=training_exists("main"))),  # certificates issued: kept
    api("training-import-participants", at("training-import-participants", main_pk),
        Check("post", auth_write(200), data=import_file, state=participants_of)),
    api("training-certificates", at("training-certificates", main_pk),
        Check("post", auth_write(200), state=certified_of)),
    api("training-totals", lambda mx, r, s: reverse("training-totals"), Check("get", supervisors), scoped=False),
    api("trainingparticipant-list", listed("trainingparticipant-list"),
        Check("get", everyone(200), shows=each_scope(PARTICIPANT_MARKER, part_read)),
        Check("post", create_in_register(201), state=participants_of,
              data=lambda mx, r, s: {"training": str(training(mx, s).pk), "agency": str(mx.agency[s].pk),
                                     "full_name": f"API person {r}"})),
    api("trainingparticipant-detail", at("trainingparticipant-detail", participant_pk("WAITING")),
        Check("get", part_read),
        Check("patch", part_write(200), data=lambda mx, r, s: {"position": f"Patched by {r}"},
              state=participant_state("WAITING")),
        Check("put", part_write(200), data=participant_api_body, state=participant_state("WAITING")),
        Check("delete", part_write(204), state=participant_state("WAITING", "pk"))),
    api("consultant-list", listed("consultant-list"),
        Check("get", everyone(200), shows=each_scope(CONSULTANT_MARKER, auth_read)),
        Check("post", create_course(201), state=lambda mx, r, s: Consultant.objects.count(),
              data=lambda mx, r, s: {"authority": str(authority(mx, s).pk), "name": f"API consultant {r}"})),
    api("consultant-detail", at("consultant-detail", consultant_pk),
        Check("get", auth_read),
        Check("patch", auth_write(200), data=lambda mx, r, s: {"phone": f"By {r}"}, state=consultant_phone),
        Check("put", auth_write(200), data=lambda mx, r, s: {**consultant_edit_form(mx, r, s), "phone": f"Put by {r}",
                                                             "is_active": True}, state=consultant_phone)),
    api("consultantengagement-list", listed("consultantengagement-list"),
        Check("get", everyone(200), shows=each_scope(ENGAGEMENT_MARKER, part_read)),
        Check("post", create_in_register(201), state=engagements_of,
              data=lambda mx, r, s: {"consultant": str(consultant(mx, s).pk), "agency": str(mx.agency[s].pk),
                                     "started_on": "2031-01-01"})),
    api("consultantengagement-detail", at("consultantengagement-detail", engagement_pk),
        Check("get", part_read),
        Check("patch", part_write(200), data=lambda mx, r, s: {"scope_note": f"Patched by {r}"},
              state=engagement_note),
        Check("put", part_write(200), data=lambda mx, r, s: {**engagement_edit_form(mx, r, s),
                                                             "scope_note": f"Put by {r}"}, state=engagement_note),
        Check("delete", part_write(204), state=engagements_of)),
    api("consultantissue-list", listed("consultantissue-list"),
        Check("get", everyone(200), shows=each_scope(ISSUE_MARKER, part_read)),
        Check("post", report_issue(201), state=issues_of,
              data=lambda mx, r, s: {"engagement": str(engagement(mx, s).pk), "description": f"By {r}"})),
    api("consultantissue-detail", at("consultantissue-detail", issue_pk), Check("get", part_read)),
    api("consultantissue-resolve", at("consultantissue-resolve", issue_pk),
        Check("post", issue_write(200), data=lambda mx, r, s: RESOLVE_FORM, state=issue_status)),
]
