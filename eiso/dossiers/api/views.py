"""Dossiers API (placeholder, being written)."""

from rest_framework import serializers

from eiso.core.api.viewsets import RestrictedReadOnlyViewSet
from eiso.dossiers.models import Dossier


class _Serializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        fields = ["id", "code"]


class DossierViewSet(RestrictedReadOnlyViewSet):
    queryset = Dossier.objects.all()
    serializer_class = _Serializer
