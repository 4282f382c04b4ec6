from eiso.core.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "current_agency": None}
    from eiso.organizations.selectors import agencies_for_user

    return {
        "menu": menu_for(user),
        "current_agency": getattr(request, "agency", None),
        "switchable_agencies": agencies_for_user(user=user),
    }
