from django.http import HttpRequest

from portal.lib import roles


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        # django-htmx's {% htmx_script %} reads `csp_nonce`; django-csp 4 sets
        # request.csp_nonce (ECOSYSTEM.md, trap 1).
        "csp_nonce": getattr(request, "csp_nonce", None),
        "primary_role": roles.primary_role(user) if user is not None else None,
        "is_province_staff": roles.is_province_staff(user) if user is not None else False,
        "is_account_holder": roles.Role.ACCOUNT_HOLDER in roles.roles_of(user)
        if user is not None
        else False,
    }
