"""The demo commune's QMS year, for `eiso load_demo`: the calendar of the current year opened, a quality policy in
force, the year's objective with three computed indicators measured month by month from the demo dossiers, the
agency's context with a risk and an opportunity, a draft audit programme and one citizen's feedback. Everything
goes through the apps' services, as a coordinator and a head would do it. Idempotent: an agency that already has a
quality policy is left as it is."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from eiso.core.permissions import today as local_today

POLICY = (
    "Ủy ban nhân dân cam kết giải quyết thủ tục hành chính đúng pháp luật, công khai, minh bạch, đúng hẹn; "
    "lấy sự hài lòng của người dân, doanh nghiệp làm thước đo chất lượng phục vụ; duy trì và cải tiến thường xuyên "
    "hệ thống quản lý chất lượng theo TCVN ISO 9001:2015."
)
INDICATORS = (
    ("Tỷ lệ hồ sơ giải quyết đúng hạn", "dossier_on_time_rate", 98),
    ("Tỷ lệ người dân hài lòng", "satisfaction_rate", 90),
    ("Tỷ lệ quy trình cập nhật trong 3 tháng khi pháp luật thay đổi", "legal_updates_on_time_rate", 100),
)


@transaction.atomic
def demo_qms_year_load(agency, *, coordinator, head, today: dt.date | None = None) -> bool:
    """Load the demo QMS year of `agency`; False when it already has one."""
    from eiso.audits.models import AuditProgramme
    from eiso.audits.services import programme_create
    from eiso.compliance.selectors import is_year_open
    from eiso.compliance.services import compliance_year_start
    from eiso.improvement.feedback_services import feedback_receive
    from eiso.objectives.models import QualityPolicy
    from eiso.objectives.services import (
        computed_measurements_record,
        indicator_add,
        objective_approve,
        objective_create,
        policy_approve,
        policy_draft_save,
    )
    from eiso.risks.services import context_issue_create, interested_party_create, risk_create

    if QualityPolicy.objects.filter(agency=agency).exists():
        return False
    today = today or local_today()
    year = today.year
    if not is_year_open(agency=agency, year=year):
        compliance_year_start(actor=coordinator, agency=agency, year=year, today=today)
    policy_approve(actor=head, policy=policy_draft_save(actor=coordinator, agency=agency, text=POLICY))

    objective = objective_create(
        actor=coordinator, agency=agency, year=year, owner=coordinator,
        title="Giải quyết thủ tục hành chính đúng hạn, người dân hài lòng",
        description="Mục tiêu chất lượng năm, đo hằng tháng từ dữ liệu hồ sơ và danh mục văn bản pháp luật.")
    for name, metric, target in INDICATORS:
        indicator_add(actor=coordinator, objective=objective, name=name, value_source="computed", metric=metric,
                      target=target, frequency="monthly", owner=coordinator)
    objective_approve(actor=head, objective=objective)
    for month in range(2, today.month + 1):  # each month's run records the month that just ended
        computed_measurements_record(on=dt.date(year, month, 1), agency=agency)

    start_of_year = dt.date(year, 1, 1)
    context_issue_create(actor=coordinator, agency=agency, kind="external", identified_on=start_of_year,
                         description="Sắp xếp đơn vị hành chính cấp xã từ 01/7/2025: địa bàn và dân số tăng",
                         effect="Số hồ sơ tiếp nhận tăng; cần rà soát quy trình và phân công.")
    context_issue_create(actor=coordinator, agency=agency, kind="internal", identified_on=start_of_year,
                         description="Một số công chức mới chưa được đào tạo về TCVN ISO 9001:2015",
                         effect="Nguy cơ áp dụng quy trình chưa đúng.")
    interested_party_create(actor=coordinator, agency=agency, name="Người dân, doanh nghiệp",
                            requirements="Giải quyết đúng hẹn, thủ tục công khai, thái độ phục vụ tốt.",
                            monitoring="Khảo sát sự hài lòng; phản ánh, kiến nghị; tỷ lệ hồ sơ đúng hạn.")
    risk_create(actor=coordinator, agency=agency, likelihood=3, consequence=4, identified_on=start_of_year,
                description="Hồ sơ trễ hạn do phải lấy ý kiến cơ quan khác",
                cause="Thời gian phối hợp không được theo dõi.",
                consequence_description="Người dân phải đi lại nhiều lần; phải xin lỗi và hẹn lại.")
    risk_create(actor=coordinator, agency=agency, kind="opportunity", likelihood=4, consequence=3,
                identified_on=start_of_year, description="Tiếp nhận hồ sơ trực tuyến qua Cổng dịch vụ công")
    if not AuditProgramme.objects.filter(agency=agency, year=year).exists():
        programme_create(actor=coordinator, agency=agency, year=year,
                         title=f"Chương trình đánh giá nội bộ năm {year}",
                         objectives="Đánh giá sự phù hợp và hiệu lực của HTQLCL trước khi xem xét của lãnh đạo.")
    feedback_receive(actor=None, agency=agency, content="Đề nghị bố trí thêm ghế ngồi chờ tại Bộ phận Một cửa.",
                     submitter_name="Nguyễn Văn Bình", phone="0912345678", kind="petition",
                     received_at=timezone.now() - dt.timedelta(days=3))
    return True
