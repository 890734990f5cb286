"""Reads of the thermometer that the portal's pages use."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from thermometer.models import Round


def rounds_open_to_staff() -> QuerySet[Round]:
    """Rounds province staff can fill in right now, without a personal link."""
    now = timezone.now()
    return Round.objects.filter(
        status=Round.Status.OPEN, include_staff=True, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at")


def latest_published_round() -> Round | None:
    """The newest published round, with its number of improvement actions (all and
    done): the "you said, we did" teaser on the home page."""
    return (
        Round.objects.filter(status=Round.Status.PUBLISHED)
        .annotate(
            action_count=Count("actions"),
            actions_done=Count("actions", filter=Q(actions__status="done")),
        )
        .order_by("-closes_at", "-pk")
        .first()
    )
