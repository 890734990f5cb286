"""services/disclosure.py: no small group shown, directly or by subtraction."""

import itertools

import pytest

from thermometer.models import PARTNER_GROUPS
from thermometer.services.disclosure import disclosed_groups

PARTNERS = [group.value for group in PARTNER_GROUPS]


def sizes_of(*partner_sizes: int, staff: int = 0) -> dict[str, int]:
    return dict(zip(PARTNERS, partner_sizes, strict=True)) | {"staff": staff}


def assert_safe(sizes: dict[str, int], shown: frozenset[str], minimum: int) -> None:
    for group, size in sizes.items():
        if group in shown:
            assert size >= minimum, (sizes, shown)
    if "partners" in shown:
        total = sum(sizes[group] for group in PARTNERS)
        assert total >= minimum, (sizes, shown)
        hidden = sum(sizes[group] for group in PARTNERS if group not in shown)
        # total − shown groups = the hidden groups together: none, or a group large
        # enough to be shown itself.
        assert hidden == 0 or hidden >= minimum, (sizes, shown)


@pytest.mark.parametrize("minimum", [5, 3])
def test_no_combination_of_small_group_sizes_reveals_a_small_group(minimum: int) -> None:
    """Every combination of 0..12 respondents in the four partner groups."""
    for partner_sizes in itertools.product(range(13), repeat=4):
        sizes = sizes_of(*partner_sizes, staff=partner_sizes[0])
        shown = disclosed_groups(sizes, minimum=minimum)
        assert_safe(sizes, shown, minimum)
        # Nothing is hidden that need not be: large groups all show when no partner
        # group is small, and the total shows whenever it is large enough.
        total = sum(partner_sizes)
        assert ("partners" in shown) == (total >= minimum)
        assert ("staff" in shown) == (partner_sizes[0] >= minimum)
        large = {g for g, n in zip(PARTNERS, partner_sizes, strict=True) if n >= minimum}
        if all(size == 0 or size >= minimum for size in partner_sizes):
            assert shown >= large
        # Secondary suppression takes one group at most: any large group is enough.
        assert len(large - shown) <= 1


def test_the_total_is_ignored_in_the_sizes_given() -> None:
    sizes = sizes_of(6, 6, 0, 0) | {"partners": 1}
    assert disclosed_groups(sizes, minimum=5) == {"partners", "gemeente", "waterschap"}


def test_one_small_partner_group_hides_the_smallest_other_one_too() -> None:
    shown = disclosed_groups(sizes_of(9, 6, 2, 0, staff=12), minimum=5)

    # Shown total 17 minus gemeente 9 and waterschap 6 would give the 2 agencies.
    assert shown == {"partners", "gemeente", "staff"}


def test_one_more_hidden_group_is_always_enough() -> None:
    # Hidden 1; hiding waterschap, the smallest shown group, makes 6: enough.
    assert disclosed_groups(sizes_of(8, 5, 1, 0), minimum=5) == {"partners", "gemeente"}
    # 1 + 2 hidden; hiding 5 makes 8.
    assert disclosed_groups(sizes_of(20, 5, 1, 2), minimum=5) == {"partners", "gemeente"}
    # Nothing left but the total when only one partner group was large.
    assert disclosed_groups(sizes_of(9, 1, 0, 0), minimum=5) == {"partners"}


def test_ties_between_the_smallest_groups_are_broken_in_the_fixed_group_order() -> None:
    assert disclosed_groups(sizes_of(6, 6, 1, 0), minimum=5) == {"partners", "waterschap"}


def test_small_groups_that_together_reach_the_minimum_need_no_extra_hiding() -> None:
    assert disclosed_groups(sizes_of(10, 3, 2, 0), minimum=5) == {"partners", "gemeente"}


def test_groups_without_respondents_need_no_protection() -> None:
    assert disclosed_groups(sizes_of(7, 0, 0, 0), minimum=5) == {"partners", "gemeente"}
    assert disclosed_groups({}, minimum=5) == frozenset()


def test_too_few_partners_in_total_shows_nothing_of_the_partners() -> None:
    assert disclosed_groups(sizes_of(2, 1, 1, 0, staff=5), minimum=5) == {"staff"}


def test_the_minimum_comes_from_the_settings_by_default(settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE = 8
    assert disclosed_groups(sizes_of(7, 0, 0, 0, staff=8)) == {"staff"}
    settings.THERMOMETER_MIN_GROUP_SIZE = 7
    assert disclosed_groups(sizes_of(7, 0, 0, 0, staff=8)) == {"staff", "partners", "gemeente"}
