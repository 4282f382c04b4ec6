"""Forms of the one-stop desk: the receipt form and the small forms of the actions on a dossier. They only
read and check what was typed; every write is a service's (eiso.dossiers.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.catalog.choices import Channel
from eiso.catalog.models import Procedure, ProcedureCase
from eiso.dossiers.choices import ApplicantKind, DossierStatus, PauseKind, ReturnMethod
from eiso.dossiers.services import dossier_handlers, process_for

MOMENT_FORMATS = ["%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
MOMENT_HINT = _("HH:MM dd/mm/yyyy")


def moment_field(label, *, required: bool, help_text=""):
    return forms.DateTimeField(label=label, required=required, input_formats=MOMENT_FORMATS, help_text=help_text,
                               widget=forms.DateTimeInput(format="%H:%M %d/%m/%Y",
                                                          attrs={"placeholder": MOMENT_HINT, "size": 16}))


DECISIONS = [
    ("accept", _("Complete: accept and give an appointment")),
    ("supplement", _("Incomplete: ask for a supplement")),
    ("reject", _("Not acceptable: refuse")),
]


def desk_procedures(agency):
    """The procedures for which the agency has a process (the desk's usual ones)."""
    return Procedure.objects.filter(processes__agency=agency).distinct().order_by("code")


def components_for(*, agency, procedure, case=None) -> list[dict]:
    """The checklist of the dossier's components: the agency's process's, else the catalogue's."""
    process = process_for(agency=agency, procedure=procedure, case=case)
    rows = list(process.dossier_components or []) if process is not None else []
    if not rows:
        for item in (case.dossier_components if case is not None else None) or procedure.dossier_components or []:
            original, copy = item.get("original_quantity") or 0, item.get("copy_quantity") or 0
            kind = "original_or_copy" if original and copy else ("copy" if copy and not original else "original")
            rows.append({"name": item.get("name", ""), "kind": kind, "quantity": max(original, copy, 1)})
    return [{"name": (row.get("name") or "").strip(), "kind": row.get("kind", ""),
             "quantity": row.get("quantity") or 1} for row in rows if (row.get("name") or "").strip()]


class ReceiveForm(forms.Form):
    """The desk receipt. The procedure is chosen among the agency's, or given by its catalogue code; the
    cases and the checklist of components follow the procedure (refreshed with htmx)."""

    procedure = forms.TypedChoiceField(label=_("administrative procedure"), required=False, coerce=int,
                                       empty_value=None)
    procedure_code = forms.CharField(label=_("or another procedure of the catalogue (code)"), required=False,
                                     max_length=40, help_text=_("For example 1.000001"))
    case = forms.TypedChoiceField(label=_("procedure case"), required=False, coerce=int, empty_value=None)
    applicant_kind = forms.ChoiceField(label=_("applicant is a"), choices=ApplicantKind.choices,
                                       initial=ApplicantKind.PERSON)
    applicant_name = forms.CharField(label=_("applicant"), max_length=300)
    applicant_id_number = forms.CharField(label=_("ID or tax number"), max_length=30, required=False)
    applicant_phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("e-mail"), required=False)
    applicant_address = forms.CharField(label=_("address"), max_length=500, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices, initial=Channel.DIRECT)
    components = forms.TypedMultipleChoiceField(label=_("components handed in"), required=False, coerce=int,
                                                widget=forms.CheckboxSelectMultiple)
    submitted_at = moment_field(_("submitted at"), required=False,
                                help_text=_("Leave empty for now. Fill in for a dossier received earlier."))
    decision = forms.ChoiceField(label=_("decision"), choices=DECISIONS, initial="accept",
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("what is missing, or why it is refused"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        usual = list(desk_procedures(agency)) if agency is not None else []
        self.fields["procedure"].choices = [("", "—")] + [(p.pk, f"{p.code} {p.name}"[:160]) for p in usual]
        if len(usual) == 1 and not self.is_bound and not self.initial.get("procedure_code"):
            self.initial.setdefault("procedure", usual[0].pk)
        self.chosen_procedure = self._procedure_from(self.data if self.is_bound else self.initial)
        cases = list(self.chosen_procedure.cases.all()) if self.chosen_procedure else []
        self.fields["case"].choices = [("", "—")] + [(c.pk, f"{c.code} {c.name}"[:160]) for c in cases]
        if len(cases) == 1:
            self.fields["case"].initial = cases[0].pk
        self.checklist = self._checklist()
        self.fields["components"].choices = [
            (index, f"{row['name']} ({row['quantity']})") for index, row in enumerate(self.checklist)]

    def _procedure_from(self, data):
        """The procedure named by the (possibly raw) data, or None."""
        chosen = data.get("procedure")
        if chosen:
            try:
                return Procedure.objects.filter(pk=int(chosen)).first()
            except (TypeError, ValueError):
                return None
        code = (data.get("procedure_code") or "").strip()
        if not code:
            return None
        exact = Procedure.objects.by_code(code).first()
        if exact is not None:
            return exact
        found = list(Procedure.objects.search(code)[:2])
        return found[0] if len(found) == 1 else None

    def _chosen_case(self):
        value = (self.data if self.is_bound else self.initial).get("case") or self.fields["case"].initial
        if not value or self.chosen_procedure is None:
            return None
        try:
            return ProcedureCase.objects.filter(pk=int(value), procedure=self.chosen_procedure).first()
        except (TypeError, ValueError):
            return None

    def _checklist(self) -> list[dict]:
        if self.chosen_procedure is None or self.agency is None:
            return []
        return components_for(agency=self.agency, procedure=self.chosen_procedure, case=self._chosen_case())


    def clean(self):
        data = super().clean()
        if self.chosen_procedure is None:
            if (self.data.get("procedure_code") or "").strip() and not self.data.get("procedure"):
                self.add_error("procedure_code", _("No single procedure of the catalogue has this code. Type the "
                                                   "full code."))
            else:
                self.add_error("procedure", _("Choose the procedure."))
            return data
        data["procedure"] = self.chosen_procedure
        case_id = data.get("case")
        data["case"] = None
        if case_id:
            data["case"] = ProcedureCase.objects.filter(pk=case_id, procedure=self.chosen_procedure).first()
            if data["case"] is None:
                self.add_error("case", _("Choose a case of the chosen procedure."))
        submitted = set(data.get("components") or [])
        data["components"] = [{**row, "submitted": index in submitted} for index, row in enumerate(self.checklist)]
        data["applicant"] = {key: data.get(f"applicant_{key}") or "" for key in
                             ("kind", "name", "id_number", "phone", "email", "address")}
        return data


# --- Actions on a dossier -------------------------------------------------------------------------------------


class HandOverForm(forms.Form):
    step = forms.UUIDField(widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(label=_("hand over to"), queryset=None, required=False,
                                      empty_label=_("— not assigned yet —"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = dossier_handlers(dossier.agency_id).order_by("full_name", "username")


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PauseKind.choices, initial=PauseKind.SUPPLEMENT)
    reason = forms.CharField(label=_("what the applicant must supplement or pay"),
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)


class ResumeForm(forms.Form):
    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)


class ConsultForm(forms.Form):
    unit_name = forms.CharField(label=_("unit or agency consulted"), max_length=300)
    comment = forms.CharField(label=_("about"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)


class ApologyForm(forms.Form):
    reason = forms.CharField(label=_("reason for the delay"), widget=forms.Textarea(attrs={"rows": 2}))
    new_appointment = moment_field(_("new appointment"), required=True)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)


class NotifyForm(forms.Form):
    comment = forms.CharField(label=_("how the applicant was told"), required=False, max_length=500)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    method = forms.ChoiceField(label=_("returned"), choices=ReturnMethod.choices, initial=ReturnMethod.DESK)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)


ENDINGS = [(DossierStatus.REFUSED.value, _("refuse after review")),
           (DossierStatus.STOPPED.value, _("stop at the applicant's request")),
           (DossierStatus.WITHDRAWN.value, _("withdrawn by the applicant"))]


class EndForm(forms.Form):
    status = forms.ChoiceField(label=_("ending"), choices=ENDINGS)
    reason = forms.CharField(label=_("reason (sent to the applicant)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
