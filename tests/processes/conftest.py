from decimal import Decimal

import pytest

from eiso.catalog.models import Field, Procedure, ProcedureCase


@pytest.fixture
def commune_procedures(db):
    """Three commune-level procedures (one with two cases) and one province-level procedure."""
    field = Field.objects.create(name="Hộ tịch", code="G15-TP07")
    birth = Procedure.objects.create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, is_commune_level=True,
        applicants=["Công dân Việt Nam"], results=["Giấy khai sinh"],
        channels=[{"channel": "direct", "fees": [{"description": "Miễn lệ phí", "amount": 0}]},
                  {"channel": "online", "fees": []}],
        legal_bases=[{"code": "60/2014/QH13", "name": "Luật Hộ tịch"}],
        dossier_components=[{"name": "Tờ khai đăng ký khai sinh", "original_quantity": 1, "copy_quantity": 0}],
    )
    ProcedureCase.objects.create(procedure=birth, code="1.001193.01", name="Đăng ký khai sinh",
                                 duration=Decimal(1), duration_unit="working_day")
    death = Procedure.objects.create(code="1.000656", name="Thủ tục đăng ký khai tử", field=field,
                                     is_commune_level=True)
    ProcedureCase.objects.create(procedure=death, code="1.000656.01", name="Đăng ký khai tử",
                                 duration=Decimal(3), duration_unit="working_day")
    ProcedureCase.objects.create(procedure=death, code="1.000656.02", name="Cần xác minh",
                                 duration=Decimal(5), duration_unit="working_day")
    marriage = Procedure.objects.create(code="1.000894", name="Thủ tục đăng ký kết hôn", field=field,
                                        is_commune_level=True)
    ProcedureCase.objects.create(procedure=marriage, code="1.000894.01", name="Đăng ký kết hôn",
                                 duration=None, duration_unit="unknown")
    Procedure.objects.create(code="2.000001", name="Thủ tục cấp phép cấp tỉnh", is_province_level=True)
    return {"birth": birth, "death": death, "marriage": marriage}
