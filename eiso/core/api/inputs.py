"""Reading a write request's body the same way in every app: validate it with an input serializer, and look up the
objects it names among what the user may see. An object the user cannot see answers like an unknown one (400), so
that the API never tells which ids exist in another agency."""

from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError


def validated(request, serializer_class, *, partial: bool = False) -> dict:
    data = serializer_class(data=request.data, partial=partial)
    data.is_valid(raise_exception=True)
    return data.validated_data


def visible(queryset, user, pk, field: str, message=None):
    """The object `pk` of `queryset` if the user may view it; None for no id; else a 400 on `field`."""
    if pk is None:
        return None
    obj = queryset.restrict(user, "view").filter(pk=pk).first()
    if obj is None:
        message = message or _("Unknown %(field)s.") % {"field": field}
        raise ApplicationError(message, code=f"unknown_{field}", errors={field: [message]})
    return obj


def visible_many(queryset, user, pks, field: str) -> list:
    return [visible(queryset, user, pk, field) for pk in dict.fromkeys(pks or [])]


def agency_person(agency, pk, field: str = "owner"):
    """The user `pk` if they hold (or held) a role in the agency; None for no id; else a 400 on `field`."""
    from eiso.accounts.models import User

    if pk is None:
        return None
    user = User.objects.filter(pk=pk, role_assignments__agency=agency).distinct().first()
    if user is None:
        message = _("Choose one of the agency's people.")
        raise ApplicationError(message, code="not_a_member", errors={field: [message]})
    return user


def agency_people(agency, pks, field: str) -> list:
    return [agency_person(agency, pk, field) for pk in dict.fromkeys(pks or [])]
