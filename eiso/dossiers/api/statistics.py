"""Dossier statistics API (placeholder, being written)."""

from rest_framework.response import Response
from rest_framework.views import APIView


class DossierStatisticsView(APIView):
    def get(self, request):
        return Response({})
