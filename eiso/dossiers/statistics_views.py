"""The statistics page (placeholder, being written)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class StatisticsView(LoginRequiredMixin, TemplateView):
    template_name = "dossiers/statistics.html"
