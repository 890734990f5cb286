"""Which groups' numbers may be shown: the anonymity threshold, also against subtraction.

A group is shown only when at least `minimum` respondents answered (primary
suppression). That alone is not enough: "all partners" is the sum of the partner
groups, so showing the total next to every group but one reveals the one by
subtraction. When the hidden partner groups together hold fewer than `minimum`
respondents, the smallest shown partner groups are hidden too (secondary
suppression) until the hidden remainder is large enough itself, or nothing but the
total is left. Every view, export and trend reads its numbers through this rule
(services/reports.py), so none of them can be combined to reveal a small group.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings

from thermometer.models import PARTNER_GROUPS, ResultGroup

Number = int | Decimal


def minimum_group_size() -> int:
    return settings.THERMOMETER_MIN_GROUP_SIZE


def disclosed_groups(sizes: Mapping[str, Number], *, minimum: int | None = None) -> frozenset[str]:
    """The groups (ResultGroup values) whose numbers may be shown.

    `sizes` holds the respondents per respondent group (partner groups and staff); the
    "all partners" total is derived from the partner groups, whatever `sizes` says.
    """
    minimum = minimum_group_size() if minimum is None else minimum
    shown: set[str] = set()
    if sizes.get(ResultGroup.STAFF, 0) >= minimum:
        shown.add(ResultGroup.STAFF)
    partner_sizes = {group: sizes.get(group, 0) for group in PARTNER_GROUPS}
    total = sum(partner_sizes.values())
    if total < minimum:
        return frozenset(shown)  # nothing of the partners can be shown
    shown.add(ResultGroup.ALL_PARTNERS)
    partners_shown = {group for group, size in partner_sizes.items() if size >= minimum}
    hidden_remainder = total - sum(partner_sizes[group] for group in partners_shown)
    # Smallest first; ties by the fixed group order, so the choice is deterministic.
    candidates = sorted(partners_shown, key=lambda g: (partner_sizes[g], PARTNER_GROUPS.index(g)))
    while 0 < hidden_remainder < minimum and candidates:
        group = candidates.pop(0)
        partners_shown.discard(group)
        hidden_remainder += partner_sizes[group]
    return frozenset(shown | partners_shown)
