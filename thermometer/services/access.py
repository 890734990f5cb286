"""Which invitation the current browser session answers for.

A personal link (/t/<token>/) is exchanged for this session key and a redirect to a
token-free URL, so the token never sits in the address bar, a Referer or a log.
"""

from django.http import HttpRequest

from thermometer.models import Invitation

SESSION_KEY = "thermometer_invitation"


def remember_invitation(request: HttpRequest, invitation: Invitation) -> None:
    # A new session id on the way in: a link forwarded along with an old session
    # cookie must not inherit someone else's answers.
    request.session.cycle_key()
    request.session[SESSION_KEY] = invitation.pk


def invitation_from_session(request: HttpRequest) -> Invitation | None:
    """The invitation of this session, if it still exists and is not revoked."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return (
        Invitation.objects.select_related("round", "organisation")
        .filter(pk=pk, revoked_at__isnull=True)
        .first()
    )


def forget_invitation(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
