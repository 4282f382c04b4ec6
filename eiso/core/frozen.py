"""Records whose content is final once they reach a status: a published revision of a controlled document, a signed
conformity announcement. No interface can change them: the model's `save()` and `delete()`, the queryset's bulk
`update()` and `delete()` refuse (services, pages, the API and the admin shell all go through one of these), and only
the lifecycle fields may still move (the status along the allowed moves, the day it was superseded…).

A model opts in with `FrozenModel` and `FrozenQuerySet` and three class attributes:

    FROZEN_MOVES = {status: {statuses it may move to}, ...}   # the keys are the frozen statuses
    LIFECYCLE_FIELDS = frozenset({"status", "updated_at", ...})  # attnames that may change once frozen
    @classmethod
    def frozen_error(cls) -> ApplicationError                   # what the user is told
"""

from __future__ import annotations

from django.db import models


def frozen_attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if field.attname not in model.LIFECYCLE_FIELDS]


class FrozenQuerySet(models.QuerySet):
    """Bulk writes cannot go around the model's rule."""

    def _frozen(self):
        return self.filter(status__in=list(self.model.FROZEN_MOVES))

    def update(self, **kwargs):
        names = {self.model._meta.get_field(name).attname for name in kwargs}
        if names - self.model.LIFECYCLE_FIELDS and self._frozen().exists():
            raise self.model.frozen_error()
        return super().update(**kwargs)

    def delete(self):
        if self._frozen().exists():
            raise self.model.frozen_error()
        return super().delete()


class FrozenModel(models.Model):
    FROZEN_MOVES: dict = {}
    LIFECYCLE_FIELDS: frozenset = frozenset({"status", "updated_at"})

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            names = frozen_attnames(type(self))
            stored = self._stored(*names)
            if stored is not None and stored["status"] in self.FROZEN_MOVES:
                if self.status not in self.FROZEN_MOVES[stored["status"]]:
                    raise self.frozen_error()
                if any(stored[name] != getattr(self, name) for name in names):
                    raise self.frozen_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = self._stored()
        if stored is not None and stored["status"] in self.FROZEN_MOVES:
            raise self.frozen_error()
        return super().delete(*args, **kwargs)

    @classmethod
    def frozen_error(cls):
        raise NotImplementedError

    def _stored(self, *names):
        return type(self)._base_manager.filter(pk=self.pk).values("status", *names).first()
