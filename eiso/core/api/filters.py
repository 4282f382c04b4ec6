"""API filtering without leaks: relations are filtered by id only, never validated against an
unrestricted queryset (which would tell whether another agency's object exists)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class RelatedIdFilter(django_filters.CharFilter):
    """A relation filtered by the related object's id; an id of the wrong form (not a number for an integer key) is
    invalid input (400), not a server error."""

    def __init__(self, *args, target_field=None, **kwargs):
        self.target_field = target_field
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value not in django_filters.constants.EMPTY_VALUES and self.target_field is not None:
            try:
                value = self.target_field.to_python(value)
            except DjangoValidationError as exc:
                raise ValidationError({self.field_name: exc.messages}) from exc
        return super().filter(qs, value)


class YearFilter(django_filters.NumberFilter):
    """The year of a date: a whole number a calendar has (1 to 9999); anything else is invalid input (400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


def _related_id():
    return {"filter_class": RelatedIdFilter, "extra": lambda f: {"target_field": f.target_field}}


class IdFilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: _related_id(),
        models.OneToOneField: _related_id(),
        models.ManyToManyField: _related_id(),
    }

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        if (lookup_expr or "").split("__")[0] == "year":
            return YearFilter(field_name=field_name, lookup_expr=lookup_expr)
        return super().filter_for_field(field, field_name, lookup_expr)


class IdFilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet
