"""Trainings and consultants: the supervising authority's register of the courses it organises and of the
consulting organisations that help agencies build their QMS."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AuthorityOwnedModel


class Consultant(AuthorityOwnedModel):
    """A consulting organisation (đơn vị tư vấn) working in the province. Circular 26/2014 Art. 36 asks whether an
    agency's consultant was duly licensed: the licence and its validity are kept here."""

    name = models.CharField(_("organisation"), max_length=255)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    licence_issuer = models.CharField(_("licence issued by"), max_length=255, blank=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    experts = models.TextField(_("experts"), blank=True, help_text=_("One expert per line: name, qualification."))
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="consultant_unique_name_per_authority",
                                    violation_error_message=_("This consultant is already registered.")),
        ]

    def __str__(self) -> str:
        return self.name
