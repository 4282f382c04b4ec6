"""Demo reporting of the demo province (Lào Cai), for `eiso load_demo`: the 6-monthly period of the first half of
2026, closed, with most reports accepted, a few returned and a few late (one never sent); and the yearly period of
2026, open, every report pre-filled and waiting for the agencies. Made through the services, as the Department of
Science and Technology and the agencies would do it; the days of submission are then set in June 2026 so that the
closed period reads as it happened. Idempotent: a period that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from eiso.reporting.choices import PeriodKind, ReportStatus

YEAR = 2026
HALF_DUE_ON = dt.date(YEAR, 6, 20)
HALF_OPENED_ON = dt.date(YEAR, 6, 1)
YEAR_DUE_ON = dt.date(YEAR, 11, 30)
RETURNED, LATE, NEVER_SENT = 3, 5, 7  # the reports whose position modulo CYCLE is this
CYCLE = 15

RESULTS = (
    "Duy trì áp dụng HTQLCL đối với toàn bộ thủ tục hành chính thuộc thẩm quyền; rà soát, cập nhật các quy trình khi "
    "văn bản pháp luật thay đổi; thực hiện khảo sát sự hài lòng của người dân tại Bộ phận Một cửa.",
    "Tổ chức phổ biến tài liệu HTQLCL đến công chức; theo dõi tỷ lệ giải quyết hồ sơ đúng hạn hằng tháng; chuẩn bị "
    "kế hoạch đánh giá nội bộ năm.",
)
DIFFICULTIES = (
    "Sau sắp xếp đơn vị hành chính, số lượng hồ sơ tăng, một số công chức mới chưa được đào tạo về TCVN ISO "
    "9001:2015.",
    "Kinh phí duy trì HTQLCL còn hạn chế; việc cập nhật quy trình khi thủ tục thay đổi còn chậm.",
    "",
)
PROPOSALS = (
    "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn chuyên gia đánh giá nội bộ cho công chức mới.",
    "",
)
RETURN_COMMENT = ("Đề nghị bổ sung số liệu kết quả giải quyết hồ sơ 6 tháng và giải trình nội dung đánh giá nội bộ "
                  "chưa thực hiện.")


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _first_half(*, authority, province, supervisor) -> str:
    from eiso.reporting import services
    from eiso.reporting.models import PeriodicReport, PeriodicReportEvent, ReportingPeriod

    if ReportingPeriod.objects.filter(agency=authority, kind=PeriodKind.SIX_MONTHLY, year=YEAR, half=1).exists():
        return ""
    period = services.period_open(actor=supervisor, province=province, kind=PeriodKind.SIX_MONTHLY, year=YEAR, half=1,
                                  due_on=HALF_DUE_ON, today=HALF_OPENED_ON,
                                  note="Báo cáo theo Thông tư 26/2014/TT-BKHCN, gửi qua eISO.")
    ReportingPeriod.objects.filter(pk=period.pk).update(created_at=_moment(HALF_OPENED_ON, 8))
    reports = list(period.reports.select_related("agency").order_by("agency__name"))
    for position, report in enumerate(reports):
        slot = position % CYCLE
        if slot == NEVER_SENT:
            continue
        report = services.report_update(actor=None, report=report, number=f"{position + 1:02d}/BC",
                                        results=RESULTS[position % len(RESULTS)],
                                        difficulties=DIFFICULTIES[position % len(DIFFICULTIES)],
                                        proposals=PROPOSALS[position % len(PROPOSALS)])
        for action in ("sign_off", "submit"):
            report = services.report_transition(actor=None, report=report, action=action)
        sent = _moment(HALF_DUE_ON + dt.timedelta(days=5) if slot == LATE else HALF_DUE_ON - dt.timedelta(days=4))
        PeriodicReport.objects.filter(pk=report.pk).update(signed_off_at=sent - dt.timedelta(hours=1),
                                                           submitted_at=sent, first_submitted_at=sent)
        report.refresh_from_db()
        if slot == RETURNED:
            services.report_transition(actor=supervisor, report=report, action="return", comment=RETURN_COMMENT)
        else:
            services.report_transition(actor=supervisor, report=report, action="accept")
        PeriodicReport.objects.filter(pk=report.pk).update(decided_at=sent + dt.timedelta(days=3))
        PeriodicReportEvent.objects.filter(report=report).update(created_at=sent)
    services.period_close(actor=supervisor, period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(closed_at=_moment(dt.date(YEAR, 7, 10)))
    counts = {status: period.reports.filter(status=status).count() for status in ReportStatus.values}
    late = sum(1 for report in period.reports.select_related("period") if report.is_late())
    return (f"{period.title}: closed, {counts[ReportStatus.ACCEPTED]} accepted, {counts[ReportStatus.RETURNED]} "
            f"returned, {late} late")


def _yearly(*, authority, province, supervisor) -> str:
    from eiso.reporting import services
    from eiso.reporting.models import ReportingPeriod

    if ReportingPeriod.objects.filter(agency=authority, kind=PeriodKind.YEARLY, year=YEAR).exists():
        return ""
    period = services.period_open(actor=supervisor, province=province, kind=PeriodKind.YEARLY, year=YEAR,
                                  due_on=YEAR_DUE_ON,
                                  note="Báo cáo năm gửi trước ngày 30/11 để Sở tổng hợp báo cáo Bộ Khoa học và Công "
                                       "nghệ trong tháng 12.")
    return f"{period.title}: open, {period.reports.count()} reports pre-filled"


@transaction.atomic
def demo_load() -> str:
    """The demo periods of the demo province; an empty summary part for a period that existed already."""
    from eiso.accounts.models import User
    from eiso.organizations.demo import DEMO_PROVINCE_CODE
    from eiso.organizations.models import AdminUnit, SupervisingAuthority

    province = AdminUnit.objects.get(level="province", code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
    authority = SupervisingAuthority.objects.select_related("agency").get(province=province).agency
    supervisor = User.objects.filter(username="supervisor").first()
    parts = [_first_half(authority=authority, province=province, supervisor=supervisor),
             _yearly(authority=authority, province=province, supervisor=supervisor)]
    done = "; ".join(part for part in parts if part)
    return f"Reporting: {done}." if done else "Reporting: the demo periods exist already."
