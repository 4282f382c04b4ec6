from eiso.core.navigation import menu_for


def navigation(request):
    """The menu, the current agency and the switcher's agencies. Computed once per request: Django runs
    context processors again for every template rendered with the request (each django-tables2
    TemplateColumn cell is one), and the menu queries the database (counts)."""
    cached = getattr(request, "_eiso_navigation", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "current_agency": None}
    from eiso.accounts.two_factor import owes_second_factor

    if owes_second_factor(request):  # the code step: nothing of the agency is shown before it
        request._eiso_navigation = {"menu": [], "current_agency": None, "owes_second_factor": True}
        return request._eiso_navigation
    from eiso.organizations.selectors import agencies_for_user

    request._eiso_navigation = {
        "menu": menu_for(user),
        "current_agency": getattr(request, "agency", None),
        "switchable_agencies": agencies_for_user(user=user),
    }
    return request._eiso_navigation
