"""Territories, agencies (the tenants), their QMS, internal units and role assignments."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, TimeStampedModel
from eiso.core.permissions import Role, scope_for
from eiso.core.querysets import (
    ReferenceManager,
    ReferenceQuerySet,
    RestrictedManager,
    RestrictedQuerySet,
    SearchableQuerySetMixin,
)
from eiso.core.text import fold
from eiso.organizations.choices import AdminUnitLevel, AgencyKind

TWO_TIER_START = dt.date(2025, 7, 1)


class EffectiveDatedQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def valid_on(self, on: dt.date):
        return self.filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class AdminUnitQuerySet(EffectiveDatedQuerySet, ReferenceQuerySet):
    pass


class AdminUnit(models.Model):
    """A territory from the national list: province, commune, or (history only) district.

    Effective-dated: the two-tier units are valid from 01/07/2025; a pre-2025 district or commune has
    `valid_to` and `successors`. A unit's name is never rewritten: renames add an `AdminUnitName`.
    Global reference data, read by everyone.
    """

    code = models.CharField(_("code"), max_length=10)
    level = models.CharField(_("level"), max_length=10, choices=AdminUnitLevel.choices)
    name = models.CharField(_("current name"), max_length=200)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    codename = models.CharField(_("code name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("successors")
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    objects = ReferenceManager.from_queryset(AdminUnitQuerySet)()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="adminunit_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.code} {self.codename.replace('_', ' ')}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("organizations:adminunit_detail", args=[self.pk])

    @property
    def province(self):
        return self if self.level == AdminUnitLevel.PROVINCE else self.parent


class AdminUnitName(models.Model):
    """The name a unit had over a period. `selectors.admin_unit_name_on` reads it."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("administrative unit name")
        verbose_name_plural = _("administrative unit names")
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(EffectiveDatedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The agency directory: users see the agencies of their own provinces (name, kind, unit);
        their own agencies' internals are guarded by the agency-owned models. Changing an agency
        is for system administrators and the supervisor of its province."""
        scope = scope_for(user)
        if scope.is_global:
            return self
        if action == "view":
            return self.filter(Q(pk__in=scope.agency_ids) | Q(province__in=scope.home_provinces))
        if action in ("add", "change"):
            return self.filter(province__in=scope.supervised_provinces)
        return self.none()


class Agency(TimeStampedModel):
    """A state administrative body that runs (or shares) a QMS — the tenant of eISO.

    Effective-dated with successor links so a merged agency keeps its history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(
        _("code"), max_length=40, unique=True,
        help_text=_("A short unique code, e.g. the e-office identifier or UBND-XA-TAN-LOI."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    admin_unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("administrative unit")
    )
    province = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="province_agencies", editable=False,
        verbose_name=_("province"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent agency"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("successors")
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    objects = models.Manager.from_queryset(AgencyQuerySet)()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["admin_unit", "name"], condition=Q(valid_to__isnull=True),
                name="agency_unique_name_in_unit",
                violation_error_message=_("An agency with this name already exists in this administrative unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.admin_unit_id:
            unit = self.admin_unit
            self.province_id = unit.pk if unit.level == AdminUnitLevel.PROVINCE else unit.parent_id
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("organizations:agency_detail", args=[self.pk])


class SupervisingAuthority(TimeStampedModel):
    """Which agency supervises a province's QMS work (normally the Department of Science and
    Technology). Its users with the supervisor role read every agency of the province."""

    province = models.OneToOneField(
        AdminUnit, on_delete=models.PROTECT, related_name="supervising_authority",
        limit_choices_to={"level": AdminUnitLevel.PROVINCE}, verbose_name=_("province"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="supervised_provinces", verbose_name=_("agency")
    )

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("supervising authority")
        verbose_name_plural = _("supervising authorities")

    def __str__(self) -> str:
        return f"{self.agency} → {self.province}"


class QMSQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        # A QMS shared by several agencies is visible to each of them.
        scope = scope_for(user)
        if scope.is_global:
            return self
        agencies = scope.agencies_for(action)
        condition = Q(agency__in=agencies) | Q(agencies__in=agencies)
        if scope.supervises_for(action):
            condition |= Q(agency__province__in=scope.supervised_provinces)
        return self.filter(condition).distinct()


class QMS(AgencyOwnedModel):
    """A quality management system. Hosted by one agency (`agency`) and possibly shared with others
    (the provincial People's Committee and its Office share one)."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    standard = models.CharField(_("standard"), max_length=60, default="TCVN ISO 9001:2015")
    scope = models.TextField(_("scope"), blank=True)
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="shared_qms", verbose_name=_("sharing agencies")
    )
    is_active = models.BooleanField(_("active"), default=True)
    process_code_pattern = models.CharField(
        _("process code pattern"), max_length=60, default="QT-{number:02d}",
        help_text=_("How process codes are numbered, e.g. QT-{number:02d} or QT.HT.{number:02d}."),
    )

    objects = RestrictedManager.from_queryset(QMSQuerySet)()

    class Meta:
        verbose_name = _("quality management system")
        verbose_name_plural = _("quality management systems")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="qms_unique_code")]

    def __str__(self) -> str:
        return self.name


class OrgUnitQuerySet(SearchableQuerySetMixin, RestrictedQuerySet):
    def subtree_ids(self, root_id) -> set:
        """The unit and every unit below it (breadth-first; org trees are a few levels deep)."""
        ids = {root_id}
        frontier = {root_id}
        while frontier:
            frontier = set(self.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return ids


class OrgUnit(AgencyOwnedModel):
    """An internal unit of an agency (phòng, ban, bộ phận), in a tree."""

    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    objects = RestrictedManager.from_queryset(OrgUnitQuerySet)()
    org_unit_field = "pk"

    class Meta:
        verbose_name = _("internal unit")
        verbose_name_plural = _("internal units")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="orgunit_unique_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("organizations:orgunit_detail", args=[self.pk])


class RoleAssignmentQuerySet(RestrictedQuerySet):
    def active(self, on: dt.date | None = None):
        from eiso.core.permissions import today

        on = on or today()
        return self.filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class RoleAssignment(AgencyOwnedModel):
    """A role given to a user in an agency, optionally limited to an org unit (and its subtree when
    recursive). Consultants' assignments must end (`valid_until`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("internal unit"),
    )
    is_recursive = models.BooleanField(_("includes sub-units"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = RestrictedManager.from_queryset(RoleAssignmentQuerySet)()
    permitted_roles = {
        "view": {"agency_head", "iso_coordinator", "supervisor"},
        "add": {"agency_head", "iso_coordinator"},
        "change": {"agency_head", "iso_coordinator"},
        "delete": {"agency_head", "iso_coordinator"},
    }

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["agency", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], condition=Q(org_unit__isnull=True),
                name="roleassignment_unique_agency_wide",
                violation_error_message=_("This user already has this role in this agency."),
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "role", "org_unit"], condition=Q(org_unit__isnull=False),
                name="roleassignment_unique_in_unit",
                violation_error_message=_("This user already has this role in this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
