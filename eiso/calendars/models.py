"""The national working calendar (special dates) and office hours per province or agency.

Both are global reference data: every signed-in user reads them, only system administrators change
them (`ReferenceManager.restrict`). Deadlines are computed from them by `eiso.calendars.services`
only.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from eiso.calendars.choices import CalendarDayKind, CalendarDaySource
from eiso.calendars.engine import OfficeSchedule
from eiso.core.models import TimeStampedModel
from eiso.core.querysets import ReferenceManager
from eiso.organizations.choices import AdminUnitLevel


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy, as in every message of the calendar."""
    return value.strftime("%d/%m/%Y")


class CalendarDay(TimeStampedModel):
    """A date where the Monday–Friday rule does not hold, for the whole country: a public holiday
    (seeded from the `holidays` package), a day off decided by the government (compensatory day,
    swapped day off) or a weekend day worked because of a day swap. Every other date follows the
    rule: Monday–Friday worked, Saturday and Sunday off."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarDaySource.choices, default=CalendarDaySource.MANUAL,
        editable=False,
    )
    note = models.TextField(_("note"), blank=True)

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{format_date(self.date)} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == CalendarDayKind.WORKING_DAY

    def clean(self):
        super().clean()
        if self.date is None:
            return
        weekday = self.date.weekday()
        if self.kind == CalendarDayKind.WORKING_DAY and weekday < 5:
            raise ValidationError(
                {"kind": _("%(date)s is a %(weekday)s, already a working day. Only a Saturday or a "
                           "Sunday can be made a working day by a day swap.")
                 % {"date": format_date(self.date), "weekday": WEEKDAYS[weekday]}},
                code="not_a_weekend",
            )
        if self.kind == CalendarDayKind.DAY_OFF and weekday >= 5:
            raise ValidationError(
                {"kind": _("%(date)s is a %(weekday)s, already a day off. A day off must be a weekday "
                           "(Monday to Friday).")
                 % {"date": format_date(self.date), "weekday": WEEKDAYS[weekday]}},
                code="not_a_weekday",
            )


class OfficeHours(TimeStampedModel):
    """Office hours of a province (every agency in it) or of one agency (overrides its province).

    Resolution for an agency: its own hours, else its province's, else
    settings.EISO["DEFAULT_OFFICE_HOURS"] (07:30–11:30 and 13:00–17:00).
    """

    province = models.ForeignKey(
        "organizations.AdminUnit", on_delete=models.CASCADE, null=True, blank=True,
        related_name="office_hours", limit_choices_to={"level": AdminUnitLevel.PROVINCE},
        verbose_name=_("province"),
    )
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, null=True, blank=True,
        related_name="office_hours", verbose_name=_("agency"),
    )
    morning_start = models.TimeField(_("morning opens"))
    morning_end = models.TimeField(_("morning closes"))
    afternoon_start = models.TimeField(_("afternoon opens"))
    afternoon_end = models.TimeField(_("afternoon closes"))

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["province__name", "agency__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(province__isnull=False, agency__isnull=True)
                    | Q(province__isnull=True, agency__isnull=False)
                ),
                name="officehours_province_xor_agency",
                violation_error_message=_("Choose either a province or an agency, not both."),
            ),
            models.UniqueConstraint(
                fields=["province"], condition=Q(province__isnull=False),
                name="officehours_unique_province",
                violation_error_message=_("This province already has office hours; edit them instead."),
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(agency__isnull=False),
                name="officehours_unique_agency",
                violation_error_message=_("This agency already has office hours; edit them instead."),
            ),
        ]

    def __str__(self) -> str:
        owner = self.agency if self.agency_id else self.province
        return (
            f"{owner}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    def clean(self):
        super().clean()
        errors = {}  # a commune as `province` is refused by limit_choices_to when fields are cleaned
        if self.province_id and self.agency_id:
            errors["agency"] = _("Choose either a province or an agency, not both.")
        elif not self.province_id and not self.agency_id:
            errors["province"] = _("Choose a province or an agency.")
        pairs = [
            ("morning_start", "morning_end", "morning_end",
             _("The morning must close after it opens.")),
            ("afternoon_start", "afternoon_end", "afternoon_end",
             _("The afternoon must close after it opens.")),
        ]
        for first, second, field, message in pairs:
            a, b = getattr(self, first), getattr(self, second)
            if a is not None and b is not None and not a < b:
                errors[field] = message
        if (
            self.morning_end is not None and self.afternoon_start is not None
            and self.morning_end > self.afternoon_start
        ):
            errors["afternoon_start"] = _("The afternoon cannot open before the morning closes.")
        if errors:
            raise ValidationError(errors)

    def schedule(self) -> OfficeSchedule:
        return OfficeSchedule(
            ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))
        )


def default_office_schedule() -> OfficeSchedule:
    return OfficeSchedule.from_hours(settings.EISO["DEFAULT_OFFICE_HOURS"])
