from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminUnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (until 30/06/2025)")
    COMMUNE = "commune", _("Commune")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    DEPARTMENT = "department", _("Department")
    SUB_DEPARTMENT = "sub_department", _("Sub-department")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other")
