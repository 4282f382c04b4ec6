"""Synthetic national-scale data on the real administrative units, for benchmarks and demonstrations of the
oversight dashboards: `eiso generate_synthetic` and bench/national_dashboards.py.

    generate_synthetic(*, provinces=None, province_codes=(), communes=None, dossiers=0, processes=20,
                       months=24, seed=None, batch_size=50_000, progress=None, now=None) -> SyntheticReport

Per province (the first `provinces` by code, or those of `province_codes`), agencies coded with the SYN- prefix
of eiso.dossiers.synthetic, created when missing and reused by later runs:

- SYN-<province>-UBND, the provincial People's Committee;
- SYN-<province>-<department>, the provincial departments of DEPARTMENTS (the two-tier administration of
  01/07/2025), among them SYN-<province>-SKHCN, the Department of Science and Technology, made the province's
  supervising authority when the province has none;
- SYN-<province>-0001…, one People's Committee per real commune of the province (the n-th commune by code,
  `synthetic_agencies`), all of them or the first `communes`.

Each new agency gets its QMS and a stage drawn from STAGE_SHARES, and the records that stage is derived from
(eiso.oversight.stages): not started, nothing but the QMS; building, the quality policy, objectives and manual
published and `processes` draft processes adopted from the national catalogue for its level (a department's from
the procedures it executes); applying, the processes published and a completed internal audit with its findings
(the nonconformities raised from them numbered as the improvement app numbers them) and a management review held;
announced, a signed conformity announcement after them; maintaining, announced in an earlier year and audited and
reviewed since. Rows are plain dicts written by core.bulk.bulk_insert (COPY on PostgreSQL), one transaction per
province: no full qms_bootstrap (no framework documents, steps or forms), no audit log.

Then `dossiers` dossiers over every agency of the chosen provinces (new or not) through
eiso.dossiers.synthetic.write_dossiers, the generator of `eiso generate_dossiers`: volumes log-normal and weighted
by level (a department receives more than a commune), each agency on the procedures of its processes, with its
own share of late results (a beta distribution: most agencies 3–15% late, a few far more); then the tallies of
those agencies are rebuilt. Seeded: the same seed on the same database gives the same records (ids apart).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from eiso.core.text import fold
from eiso.dossiers.synthetic import pick

DEPARTMENTS = (  # (code suffix, name) of the provincial departments after 01/07/2025
    ("SKHCN", "Sở Khoa học và Công nghệ"), ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"), ("STC", "Sở Tài chính"),
    ("SCT", "Sở Công Thương"), ("SNNMT", "Sở Nông nghiệp và Môi trường"), ("SXD", "Sở Xây dựng"),
    ("SYT", "Sở Y tế"), ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"), ("TTR", "Thanh tra tỉnh"),
)
AUTHORITY = "SKHCN"
STAGE_SHARES = (("not_started", 0.12), ("building", 0.26), ("applying", 0.30), ("announced", 0.22),
                ("maintaining", 0.10))
LEVEL_WEIGHTS = {"province": 2.0, "department": 3.0, "commune": 1.0}  # relative dossier volumes
LATE_SHAPE = (1.6, 16.0)  # beta distribution of an agency's share of late results (mean 9%)
FRAMEWORK = (("policy", "CS-01", "Chính sách chất lượng"), ("objectives", "MT-01", "Mục tiêu chất lượng năm {year}"),
             ("manual", "STCL", "Sổ tay chất lượng"))
FINDINGS = (
    ("minor", "7.5.3", "Một số hồ sơ lưu tại Bộ phận Một cửa chưa ghi đủ thời gian tiếp nhận, trả kết quả.",
     "Phiếu kiểm soát quá trình giải quyết hồ sơ tháng gần nhất"),
    ("minor", "8.5.1", "Quy trình áp dụng chưa cập nhật văn bản pháp luật mới ban hành.",
     "Quy trình đang áp dụng và văn bản pháp luật hiện hành"),
    ("major", "9.1.3", "Chưa theo dõi, phân tích kết quả giải quyết hồ sơ trễ hạn.",
     "Báo cáo tình hình giải quyết TTHC"),
    ("observation", "7.2", "Một số công chức mới chưa được đào tạo về HTQLCL.", "Danh sách công chức, hồ sơ đào tạo"),
    ("improvement", "10.3", "Có thể số hóa Phiếu kiểm soát quá trình giải quyết hồ sơ.",
     "Trao đổi với Bộ phận Một cửa"),
)
NC_STATUSES = (("raised", 0.25), ("analysed", 0.2), ("actions", 0.25), ("closed", 0.3))


class UnknownProvinceError(ValueError):
    """Province codes that name no current province (the message lists them)."""


@dataclass
class SyntheticReport:
    provinces: int
    agencies: int
    new_agencies: int
    processes: int = 0
    documents: int = 0
    findings: int = 0
    nonconformities: int = 0
    announcements: int = 0
    stages: dict = field(default_factory=dict)  # stage -> new agencies given it
    dossiers: int = 0
    seconds: float = 0.0
    tallies: int = 0
    rebuild_seconds: float = 0.0


def ensure_reference_data() -> None:
    """The national administrative units and the shipped national catalogue, loaded when missing."""
    from pathlib import Path

    from eiso.catalog.models import Procedure
    from eiso.organizations.choices import AdminUnitLevel
    from eiso.organizations.models import AdminUnit

    if not AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE).exists():
        from eiso.organizations.services import admin_units_load

        admin_units_load()
    if not Procedure.objects.exists():
        from eiso.catalog.services import catalog_import

        data = Path(__file__).resolve().parent.parent / "catalog" / "data"
        catalog_import(paths=[data / "catalog.jsonl.gz", data / "procedures-sample.jsonl.gz"])


def chosen_provinces(*, count: int | None = None, codes=()) -> list:
    """The current provinces of `codes` (in that order; UnknownProvinceError naming the unknown ones), else the
    first `count` by code (all when None)."""
    from eiso.organizations.choices import AdminUnitLevel
    from eiso.organizations.models import AdminUnit

    provinces = AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE, valid_to__isnull=True).order_by("code")
    if codes:
        found = {province.code: province for province in provinces.filter(code__in=list(codes))}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise UnknownProvinceError(", ".join(unknown))
        return [found[code] for code in dict.fromkeys(codes)]
    return list(provinces[:count] if count is not None else provinces)


def province_agencies(province, *, communes: int | None = None) -> list:
    """The synthetic agencies of `province` (People's Committee, departments, commune People's Committees), the
    missing ones created; its supervising authority set to the Department of Science and Technology when it has
    none."""
    from eiso.dossiers.synthetic import synthetic_agencies
    from eiso.organizations.choices import AdminUnitLevel, AgencyKind
    from eiso.organizations.models import AdminUnit, Agency, SupervisingAuthority
    from eiso.organizations.services import supervising_authority_set

    prefix = f"SYN-{province.code}-"
    committee_code = f"{prefix}UBND"
    committee = Agency.objects.filter(code=committee_code).first()
    if committee is None:
        name = f"Ủy ban nhân dân {province.name} (dữ liệu mẫu)"
        committee = Agency.objects.create(code=committee_code, name=name, short_name=f"UBND {province.name}"[:60],
                                          kind=AgencyKind.PEOPLES_COMMITTEE, admin_unit=province)
    codes = [f"{prefix}{suffix}" for suffix, _name in DEPARTMENTS]
    existing = Agency.objects.in_bulk(codes, field_name="code")
    missing = []
    for (suffix, base), code in zip(DEPARTMENTS, codes, strict=True):
        if code not in existing:
            name = f"{base} {province.name} (dữ liệu mẫu)"
            missing.append(Agency(code=code, name=name, short_name=suffix, kind=AgencyKind.DEPARTMENT,
                                  admin_unit=province, province=province, parent=committee,
                                  search_text=fold(f"{name} {suffix} {code}")))  # as save() does
    Agency.objects.bulk_create(missing)
    departments = Agency.objects.in_bulk(codes, field_name="code")
    available = AdminUnit.objects.filter(parent=province, level=AdminUnitLevel.COMMUNE).count()
    count = available if communes is None else min(communes, available)
    members = synthetic_agencies(count=count, province=province) if count else []
    if not SupervisingAuthority.objects.filter(province=province).exists():
        supervising_authority_set(actor=None, province=province, agency=departments[f"{prefix}{AUTHORITY}"])
    order = [committee.pk, *(departments[code].pk for code in codes), *(agency.pk for agency in members)]
    loaded = Agency.objects.select_related("admin_unit", "parent").in_bulk(order)  # what agency_level reads
    return [loaded[pk] for pk in order]


def _level(agency) -> str:
    from eiso.oversight.levels import agency_level

    return agency_level(agency)


class Catalogue:
    """The catalogue procedures an agency adopts: a commune's among the commune-level ones, a department's among
    the province-level ones it executes (by its name in `executing_bodies`), the provincial People's Committee's
    among those of the People's Committee of the province; the others of the level fill up."""

    def __init__(self):
        from eiso.catalog.models import Procedure

        self.rows = {level: list(Procedure.objects.for_level(level).order_by("code", "pk")
                                 .values_list("pk", "code", "name", "executing_bodies"))
                     for level in ("commune", "province")}
        self.folded = {level: [fold(row[3] or "") for row in rows] for level, rows in self.rows.items()}

    def sample(self, agency, count: int) -> list[tuple]:
        """(pk, code, name) of `count` procedures for `agency`, always the same ones for the same agency."""
        level = "commune" if _level(agency) == "commune" else "province"
        rows, folded = self.rows[level], self.folded[level]
        if not rows:
            return []
        rng = random.Random(agency.code)  # independent of the run's seed: a later run finds the same procedures
        chosen = []
        if level == "province":
            executes = "uy ban nhan dan cap tinh" if _level(agency) == "province" else next(
                (fold(base) for suffix, base in DEPARTMENTS if agency.code.endswith(f"-{suffix}")), None)
            if executes:
                own = [i for i, text in enumerate(folded) if executes in text]
                chosen = rng.sample(own, min(count, len(own)))
        if len(chosen) < count:
            taken = set(chosen)
            rest = [i for i in range(len(rows)) if i not in taken]
            chosen += rng.sample(rest, min(count - len(chosen), len(rest)))
        return [rows[i][:3] for i in sorted(chosen)]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Records:
    """The rows of the new agencies' QMS records, written together by `insert`."""

    def __init__(self, *, today: dt.date, rng: random.Random):
        from eiso.audits.clause_library import clause_library

        self.today, self.rng = today, rng
        self.library_version = clause_library().version
        self.tables: dict = {model: [] for model in self.models()}  # parents first
        self.report = {"processes": 0, "documents": 0, "findings": 0, "nonconformities": 0, "announcements": 0}

    @staticmethod
    def models() -> list:
        from eiso.announcements.models import ConformityAnnouncement
        from eiso.audits.models import AuditFinding, AuditProgramme, InternalAudit
        from eiso.documents.models import Document, Revision
        from eiso.improvement.models import Nonconformity, NonconformityCounter
        from eiso.organizations.models import QMS
        from eiso.processes.models import Process
        from eiso.reviews.models import ManagementReview

        return [QMS, QMS.agencies.through, Document, Revision, Process, Process.procedures.through, AuditProgramme,
                InternalAudit, Nonconformity, NonconformityCounter, AuditFinding, ManagementReview,
                ConformityAnnouncement]

    def add(self, model, row: dict) -> dict:
        self.tables[model].append(row)
        return row

    def insert(self) -> None:
        from eiso.core.bulk import bulk_insert

        for model, rows in self.tables.items():
            if rows:
                bulk_insert(model, rows)
            rows.clear()

    def agency(self, agency, *, stage: str, procedures: list[tuple]) -> None:
        """The QMS of `agency` and the records of `stage`."""
        from eiso.organizations.models import QMS

        qms_id = uuid.uuid4()
        self.add(QMS, {"id": qms_id, "agency_id": agency.pk, "code": "HTQLCL", "name": f"HTQLCL — {agency.name}"})
        self.add(QMS.agencies.through, {"qms_id": qms_id, "agency_id": agency.pk})
        if stage == "not_started":
            return
        applying = stage != "building"
        published = _moment(self.today - dt.timedelta(days=self.rng.randint(200, 700)))
        for kind, code, title in FRAMEWORK:
            self._document(agency, qms_id, kind=kind, code=code, title=title.format(year=self.today.year),
                           published=published)
        processes = [self._process(agency, qms_id, number, procedure, published=published if applying else None)
                     for number, procedure in enumerate(procedures, start=1)]
        if not applying:
            return
        today, rng = self.today, self.rng
        if stage == "maintaining":
            announced_year = today.year - rng.randint(1, 4)
            audit_year = today.year if today >= dt.date(today.year, 3, 1) else today.year - 1
            audited = _day_between(rng, dt.date(audit_year, 1, 15), min(today, dt.date(audit_year, 11, 30)))
            self._announcement(agency, qms_id, _day_between(rng, dt.date(announced_year, 2, 1),
                                                            dt.date(announced_year, 12, 15)))
        else:
            audited = today - dt.timedelta(days=rng.randint(40 if stage == "announced" else 5, 330))
        reviewed = min(today, audited + dt.timedelta(days=rng.randint(3, 30)))
        self._audit(agency, audited, processes)
        self._review(agency, reviewed)
        if stage == "announced":
            self._announcement(agency, qms_id, min(today, reviewed + dt.timedelta(days=rng.randint(1, 30))))

    def _document(self, agency, qms_id, *, kind: str, code: str, title: str, published) -> uuid.UUID:
        from eiso.documents.models import Document, Revision

        document_id, revision_id = uuid.uuid4(), uuid.uuid4()
        summary = "Ban hành lần đầu"
        self.add(Document, {"id": document_id, "agency_id": agency.pk, "qms_id": qms_id, "kind": kind, "code": code,
                            "title": title, "current_revision_id": revision_id if published else None,
                            "last_reviewed_on": published.date() if published else None,
                            "search_text": f"{fold(f'{code} {title}')}\n{fold(summary)}"})
        row = {"id": revision_id, "agency_id": agency.pk, "document_id": document_id, "number": 1,
               "status": "published" if published else "draft", "content": {}, "change_summary": summary,
               "search_text": fold(summary)}
        if published:
            row.update(effective_on=published.date(), approved_at=published, published_at=published)
        self.add(Revision, row)
        self.report["documents"] += 1
        return document_id

    def _process(self, agency, qms_id, number: int, procedure: tuple, *, published) -> uuid.UUID:
        from eiso.processes.bootstrap import procedure_title
        from eiso.processes.models import Process

        pk, procedure_code, name = procedure
        code, title = f"QT-{number:02d}", procedure_title(name)
        document_id = self._document(agency, qms_id, kind="process", code=code, title=title, published=published)
        process_id = uuid.uuid4()
        self.add(Process, {"id": process_id, "agency_id": agency.pk, "qms_id": qms_id, "document_id": document_id,
                           "kind": "procedure", "code": code, "title": title,
                           "place_of_receipt": f"Bộ phận Một cửa — {agency.name}", "competent_units": agency.name,
                           "search_text": fold(f"{code} {title} {procedure_code}")})
        self.add(Process.procedures.through, {"process_id": process_id, "procedure_id": pk})
        self.report["processes"] += 1
        return process_id

    def _audit(self, agency, completed_on: dt.date, processes: list) -> None:
        from eiso.audits.models import AuditFinding, AuditProgramme, InternalAudit
        from eiso.improvement.models import Nonconformity, NonconformityCounter

        rng, year = self.rng, completed_on.year
        programme_id, audit_id = uuid.uuid4(), uuid.uuid4()
        approved = _moment(dt.date(year, 1, 10))
        self.add(AuditProgramme, {"id": programme_id, "agency_id": agency.pk, "year": year,
                                  "title": f"Chương trình đánh giá nội bộ năm {year}", "status": "approved",
                                  "approved_at": approved})
        self.add(InternalAudit, {"id": audit_id, "agency_id": agency.pk, "programme_id": programme_id, "sequence": 1,
                                 "number": f"ĐGNB-{year}-01", "title": f"Đánh giá nội bộ HTQLCL năm {year}",
                                 "library_version": self.library_version,
                                 "start_on": completed_on - dt.timedelta(days=2), "end_on": completed_on,
                                 "status": "completed", "started_at": _moment(completed_on - dt.timedelta(days=2)),
                                 "completed_on": completed_on,
                                 "conclusions": "HTQLCL được áp dụng, duy trì phù hợp; khắc phục các điểm nêu."})
        raised = 0
        for sequence, (grade, clause, description, evidence) in enumerate(
                rng.sample(FINDINGS, rng.randint(1, 4)), start=1):
            nonconformity_id = None
            process_id = rng.choice(processes) if processes else None
            if grade in ("major", "minor"):
                raised += 1
                nonconformity_id = uuid.uuid4()
                status = pick(rng, NC_STATUSES)
                row = {"id": nonconformity_id, "agency_id": agency.pk, "number": f"NC-{year}-{raised:03d}",
                       "year": year, "source": "audit_finding", "process_id": process_id,
                       "description": description, "grade": grade, "status": status,
                       "raised_at": _moment(completed_on, 16)}
                if status == "closed":
                    row.update(closed_at=_moment(min(self.today, completed_on + dt.timedelta(days=45)), 15),
                               is_effective=True, root_cause="Chưa phổ biến đầy đủ quy định cho công chức.")
                self.add(Nonconformity, row)
                self.report["nonconformities"] += 1
            self.add(AuditFinding, {"agency_id": agency.pk, "audit_id": audit_id, "sequence": sequence,
                                    "grade": grade, "clause": clause, "process_id": process_id,
                                    "description": description, "evidence": evidence,
                                    "nonconformity_id": nonconformity_id, "recorded_at": _moment(completed_on, 15)})
            self.report["findings"] += 1
        if raised:
            self.add(NonconformityCounter, {"agency_id": agency.pk, "year": year, "last": raised})

    def _review(self, agency, held_on: dt.date) -> None:
        from eiso.reviews.models import ManagementReview

        year = held_on.year
        self.add(ManagementReview, {"agency_id": agency.pk, "year": year, "number": 1,
                                    "title": f"Họp xem xét của lãnh đạo năm {year}", "meeting_at": _moment(held_on, 14),
                                    "period_start": dt.date(year, 1, 1), "period_end": held_on, "status": "held",
                                    "held_at": _moment(held_on, 17),
                                    "conclusion": "HTQLCL phù hợp, hiệu lực; tiếp tục duy trì và cải tiến."})

    def _announcement(self, agency, qms_id, signed_on: dt.date) -> None:
        from eiso.announcements.models import ConformityAnnouncement

        committee = _level(agency) != "department"
        self.add(ConformityAnnouncement, {
            "agency_id": agency.pk, "qms_id": qms_id, "kind": "first", "status": "signed",
            "symbol": "QĐ-UBND" if committee else "QĐ-" + agency.code.rsplit("-", 1)[-1],
            "number": self.rng.randint(1, 250), "year": signed_on.year, "signed_on": signed_on,
            "signer_name": "Nguyễn Văn An", "signer_position": "Chủ tịch" if committee else "Giám đốc",
            "scope": f"Các thủ tục hành chính thuộc thẩm quyền giải quyết của {agency.name}",
            "notified_at": _moment(signed_on, 16)})
        self.report["announcements"] += 1


def build_records(agencies: list, *, catalogue: Catalogue, processes: int, rng: random.Random, today: dt.date,
                  report: SyntheticReport) -> None:
    """The QMS and the stage's records of those of `agencies` that have no QMS yet, in one transaction."""
    from eiso.organizations.models import QMS

    built = set(QMS.objects.filter(agency__in=agencies).values_list("agency_id", flat=True))
    records = Records(today=today, rng=rng)
    with transaction.atomic():
        for agency in agencies:
            if agency.pk in built:
                continue
            stage = pick(rng, STAGE_SHARES)
            report.stages[stage] = report.stages.get(stage, 0) + 1
            report.new_agencies += 1
            records.agency(agency, stage=stage, procedures=catalogue.sample(agency, processes))
        records.insert()
    for name, count in records.report.items():
        setattr(report, name, getattr(report, name) + count)


def dossier_work(agencies: list, *, dossiers: int, catalogue: Catalogue, processes: int, rng: random.Random) -> list:
    """What eiso.dossiers.synthetic.write_dossiers adds to each agency: its volume (log-normal, weighted by level),
    its procedures (those of its processes, else its catalogue sample) and its share of late results."""
    from eiso.dossiers.synthetic import Work, outcomes_with_late, plans_for, spread_volumes
    from eiso.processes.models import Process

    adopted: dict = {}
    for agency_id, procedure_id in (Process.procedures.through.objects
                                    .filter(process__agency__in=agencies).order_by()
                                    .values_list("process__agency_id", "procedure_id")):
        adopted.setdefault(agency_id, set()).add(procedure_id)
    levels = [_level(agency) for agency in agencies]
    volumes = spread_volumes(dossiers, len(agencies), rng, base=[LEVEL_WEIGHTS.get(level, 1.0) for level in levels])
    work = []
    for agency, volume in zip(agencies, volumes, strict=True):
        procedures = adopted.get(agency.pk) or {pk for pk, _code, _name in catalogue.sample(agency, processes)}
        late = min(0.6, rng.betavariate(*LATE_SHAPE))
        work.append(Work(agency, plans_for(procedures), volume, outcomes_with_late(late)))
    return work


def generate_synthetic(*, provinces: int | None = None, province_codes=(), communes: int | None = None,
                       dossiers: int = 0, processes: int = 20, months: int = 24, seed: int | None = None,
                       batch_size: int = 50_000, progress=None, now: dt.datetime | None = None,
                       log=None) -> SyntheticReport:
    """See the module's docstring. `progress(done, total)` after each batch of dossiers, `log(text)` after each
    province's agencies."""
    from eiso.dossiers.synthetic import rebuild_tallies, seed_holidays, write_dossiers

    if (provinces is not None and provinces < 1) or (communes is not None and communes < 0) or dossiers < 0 \
            or processes < 1 or months < 1 or batch_size < 1:
        raise ValueError("provinces, processes, months and batch_size must be at least 1, communes and dossiers "
                         "at least 0")
    started = time.perf_counter()
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rng = random.Random(seed)
    ensure_reference_data()
    chosen = chosen_provinces(count=provinces, codes=province_codes)
    catalogue = Catalogue()
    report = SyntheticReport(provinces=len(chosen), agencies=0, new_agencies=0)
    agencies = []
    for province in chosen:
        members = province_agencies(province, communes=communes)
        build_records(members, catalogue=catalogue, processes=processes, rng=rng, today=today, report=report)
        agencies.extend(members)
        if log:
            log(f"{province}: {len(members)} agencies")
    report.agencies = len(agencies)
    if dossiers:
        seed_holidays(months=months, now=now)
        work = dossier_work(agencies, dossiers=dossiers, catalogue=catalogue, processes=processes, rng=rng)
        report.dossiers = write_dossiers(work, months=months, now=now, rng=rng, batch_size=batch_size,
                                         progress=progress)
    report.seconds = time.perf_counter() - started
    if dossiers:
        started = time.perf_counter()
        report.tallies = rebuild_tallies([agency.pk for agency in agencies])
        report.rebuild_seconds = time.perf_counter() - started
    return report
