from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def audit_changes(entry):
    """(label, before, after) rows of an audit entry, with field verbose names and choice labels."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    fields = {}
    if model is not None:
        for f in model._meta.concrete_fields:
            fields[f.attname] = f
    rows = []
    for name, pair in (entry.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        field = fields.get(name)
        label = str(field.verbose_name) if field is not None else name
        if field is not None and field.choices:
            labels = {str(k): str(v) for k, v in field.flatchoices}
            before, after = labels.get(str(before), before), labels.get(str(after), after)
        if field is not None and field.is_relation and field.related_model is not None:
            # a list resolves its page's related objects at once (eiso.core.views_audit.related_labels_attach)
            by_pk = getattr(entry, "related_labels", {}).get(field.related_model)
            if by_pk is None:
                related = field.related_model._default_manager
                by_pk = {str(o.pk): str(o) for o in related.filter(pk__in=[v for v in (before, after) if v])}
            before, after = by_pk.get(str(before), before), by_pk.get(str(after), after)
        rows.append((label, before, after))
    return rows


@register.filter
def actor_label(entry):
    return _("System") if entry.actor_repr == "system" else entry.actor_repr
