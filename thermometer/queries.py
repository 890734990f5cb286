"""Reads of the thermometer that the portal's pages use."""

from django.db.models import QuerySet
from django.utils import timezone

from thermometer.models import Round


def rounds_open_to_staff() -> QuerySet[Round]:
    """Rounds province staff can fill in right now, without a personal link."""
    now = timezone.now()
    return Round.objects.filter(
        status=Round.Status.OPEN, include_staff=True, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at")
