from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import User
from eiso.audits.choices import ChecklistResult, FindingGrade
from eiso.audits.independence import team_candidates
from eiso.documents.models import Document
from eiso.organizations.models import OrgUnit
from eiso.processes.models import Process

MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]
CLAUSES_HELP = _("Clause numbers of TCVN ISO 9001:2015 separated by commas, e.g. 7.5, 8.5.1, 9.1.2.")


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


def _time(label):
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}))


class ProgrammeForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    objectives = forms.CharField(label=_("objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {"year": instance.year, "title": instance.title, "objectives": instance.objectives,
                                 **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["year"].disabled = True


class ScopedForm(forms.Form):
    """A form whose choices are the agency's processes, units, documents and auditors."""

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("process", Process.objects), ("processes", Process.objects),
                               ("org_unit", OrgUnit.objects), ("org_units", OrgUnit.objects),
                               ("documents", Document.objects)):
            if name in self.fields:
                self.fields[name].queryset = queryset.filter(agency=agency) if agency else queryset.none()
        for name in ("auditor", "lead_auditor", "members", "auditors"):
            if name in self.fields:
                self.fields[name].queryset = team_candidates(agency) if agency else User.objects.none()


class EntryForm(ScopedForm):
    process = forms.ModelChoiceField(label=_("process"), queryset=Process.objects.none(), required=False)
    org_unit = forms.ModelChoiceField(label=_("internal unit"), queryset=OrgUnit.objects.none(), required=False)
    clauses = forms.CharField(label=_("clauses"), required=False, help_text=CLAUSES_HELP)
    planned_month = forms.TypedChoiceField(label=_("planned month"), choices=MONTHS, coerce=int)
    auditor = forms.ModelChoiceField(label=_("auditor"), queryset=User.objects.none(), required=False)
    notes = forms.CharField(label=_("notes"), max_length=300, required=False)


class AuditForm(ScopedForm):
    title = forms.CharField(label=_("title"), max_length=300)
    objectives = forms.CharField(label=_("objectives"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    processes = forms.ModelMultipleChoiceField(label=_("processes audited"), queryset=Process.objects.none(),
                                               required=False)
    org_units = forms.ModelMultipleChoiceField(label=_("internal units audited"), queryset=OrgUnit.objects.none(),
                                               required=False)
    clauses = forms.CharField(label=_("clauses"), help_text=CLAUSES_HELP)
    documents = forms.ModelMultipleChoiceField(label=_("documents (criteria)"), queryset=Document.objects.none(),
                                               required=False)
    auditees = forms.CharField(label=_("auditees"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    start_on = _date(_("start date"))
    end_on = _date(_("end date"))

    def __init__(self, *args, user=None, agency=None, instance=None, **kwargs):
        if instance is not None:
            agency = instance.agency
            kwargs["initial"] = {**(kwargs.get("initial") or {}),
                "title": instance.title, "objectives": instance.objectives, "auditees": instance.auditees,
                "processes": list(instance.processes.all()), "org_units": list(instance.org_units.all()),
                "documents": list(instance.documents.all()), "clauses": ", ".join(instance.clauses),
                "start_on": instance.start_on, "end_on": instance.end_on}
        super().__init__(*args, agency=agency, **kwargs)


class TeamForm(ScopedForm):
    lead_auditor = forms.ModelChoiceField(label=_("lead auditor"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(label=_("team members"), queryset=User.objects.none(), required=False)


class ScheduleForm(ScopedForm):
    on = _date(_("date"))
    start_time = _time(_("from"))
    end_time = _time(_("to"))
    org_unit = forms.ModelChoiceField(label=_("internal unit"), queryset=OrgUnit.objects.none(), required=False)
    process = forms.ModelChoiceField(label=_("process"), queryset=Process.objects.none(), required=False)
    clauses = forms.CharField(label=_("clauses"), required=False, help_text=CLAUSES_HELP)
    activity = forms.CharField(label=_("activity"), max_length=300, required=False)
    auditors = forms.ModelMultipleChoiceField(label=_("auditors"), queryset=User.objects.none(), required=False)


class ChecklistResultForm(forms.Form):
    result = forms.ChoiceField(label=_("result"), choices=ChecklistResult.choices)
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 1}), required=False)


class FindingForm(ScopedForm):
    grade = forms.ChoiceField(label=_("grade"), choices=FindingGrade.choices)
    clause = forms.CharField(label=_("clause"), max_length=20)
    process = forms.ModelChoiceField(label=_("process"), queryset=Process.objects.none(), required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, audit=None, **kwargs):
        super().__init__(*args, agency=audit.agency if audit else None, **kwargs)
        if audit is not None:
            self.fields["process"].queryset = audit.processes.all()
