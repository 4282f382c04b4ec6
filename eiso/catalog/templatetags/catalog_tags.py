from django import template
from django.utils.translation import gettext as _

from eiso.catalog.choices import Channel, DurationUnit
from eiso.catalog.reports import problem_label as _problem_label

register = template.Library()


@register.filter
def problem_label(kind):
    return _problem_label(kind)


@register.filter
def unit_label(value):
    return dict(DurationUnit.choices).get(value, value or "")


@register.filter
def channel_label(value):
    return dict(Channel.choices).get(value, value or "")


@register.filter
def change_value(value):
    """A stored before/after value as short plain text: lists one item a line, legal bases as
    "code — name", cases as "name: duration unit"."""
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "\n".join(change_value(v) for v in value)
    if isinstance(value, dict):
        if "duration_unit" in value:
            duration = value.get("duration")
            return f"{value.get('name', '')}: {duration if duration is not None else '?'} " \
                   f"{unit_label(value.get('duration_unit'))}".strip()
        if set(value) >= {"code", "name"}:
            return " — ".join(str(v) for v in (value.get("code"), value.get("name")) if v)
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
