from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "eiso.oversight"
    label = "oversight"
    verbose_name = _("Provincial oversight: rollout plans, QMS stages, dashboards")
