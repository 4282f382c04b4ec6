"""API filtering without leaks: relations are filtered by id only, never validated against an
unrestricted queryset (which would tell whether another agency's object exists)."""

import django_filters
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend


class IdFilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": django_filters.CharFilter},
        models.OneToOneField: {"filter_class": django_filters.CharFilter},
        models.ManyToManyField: {"filter_class": django_filters.CharFilter},
    }


class IdFilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet
