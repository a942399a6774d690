"""Category tree: materialised paths, moves of whole subtrees, cycles and depth."""

import pytest

from qudao.catalog import selectors, services
from qudao.catalog.errors import CategoryCycle
from qudao.catalog.models import Category
from qudao.catalog.policies import MAX_CATEGORY_DEPTH
from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.scoping import build_actor
from tests.catalog.factories import ROOT, make_category, make_item

pytestmark = pytest.mark.django_db


def _path(category: Category) -> str:
    return Category.objects.values_list("path", flat=True).get(pk=category.pk)


def test_paths_are_ids_from_the_root(dealer):
    drinks = make_category(dealer, "DRINKS")
    juice = make_category(dealer, "JUICE", parent=drinks)
    orange = make_category(dealer, "ORANGE", parent=juice)
    assert _path(drinks) == f"/{drinks.pk}/"
    assert _path(juice) == f"/{drinks.pk}/{juice.pk}/"
    assert _path(orange) == f"/{drinks.pk}/{juice.pk}/{orange.pk}/"
    assert orange.path == _path(orange) and orange.depth == 3


def test_moving_a_category_moves_its_subtree(dealer):
    drinks, food = make_category(dealer, "DRINKS"), make_category(dealer, "FOOD")
    juice = make_category(dealer, "JUICE", parent=drinks)
    orange = make_category(dealer, "ORANGE", parent=juice)
    other_root_child = make_category(dealer, "WATER", parent=drinks)

    services.update_category(actor=ROOT, category=juice, data={"parent_id": food.pk})

    assert _path(juice) == f"/{food.pk}/{juice.pk}/"
    assert _path(orange) == f"/{food.pk}/{juice.pk}/{orange.pk}/"
    assert _path(other_root_child) == f"/{drinks.pk}/{other_root_child.pk}/"

    services.update_category(actor=ROOT, category=juice, data={"parent_id": None})
    assert _path(juice) == f"/{juice.pk}/"
    assert _path(orange) == f"/{juice.pk}/{orange.pk}/"


def test_a_category_cannot_move_under_itself_or_its_descendants(dealer):
    drinks = make_category(dealer, "DRINKS")
    juice = make_category(dealer, "JUICE", parent=drinks)
    for new_parent in (drinks, juice):
        with pytest.raises(CategoryCycle) as exc:
            services.update_category(actor=ROOT, category=drinks, data={"parent_id": new_parent.pk})
        assert exc.value.details[0]["field"] == "parent_id"
    assert _path(drinks) == f"/{drinks.pk}/"


def test_depth_is_limited(dealer):
    parent = None
    for level in range(MAX_CATEGORY_DEPTH):
        parent = make_category(dealer, f"L{level}", parent=parent)
    with pytest.raises(ValidationFailed) as exc:
        make_category(dealer, "TOO-DEEP", parent=parent)
    assert exc.value.details[0]["code"] == "category_too_deep"
    # moving a two-level subtree under a level-9 category would exceed it too
    branch = make_category(dealer, "BRANCH")
    make_category(dealer, "LEAF", parent=branch)
    level_9 = Category.objects.get(dealer=dealer, code="L8")
    with pytest.raises(ValidationFailed):
        services.update_category(actor=ROOT, category=branch, data={"parent_id": level_9.pk})


def test_parent_of_another_dealer_is_refused(dealer, other_dealer):
    foreign = make_category(other_dealer)
    with pytest.raises(ValidationFailed) as exc:
        make_category(dealer, parent=foreign)
    assert exc.value.details == [
        {"field": "parent_id", "message": exc.value.details[0]["message"], "code": "other_dealer"}
    ]


def test_a_dealer_user_cannot_name_another_dealers_parent(dealer, other_dealer, admin_user):
    foreign = make_category(other_dealer)
    with pytest.raises(ValidationFailed) as exc:
        services.create_category(
            actor=build_actor(admin_user), data={"code": "C", "name": "C", "parent_id": foreign.pk}
        )
    assert exc.value.details[0]["code"] == "unknown"


def test_duplicate_code_is_refused(dealer):
    make_category(dealer, "DRINKS")
    with pytest.raises(DuplicateRecord):
        make_category(dealer, "DRINKS")


def test_items_of_a_subtree_in_one_query(dealer, admin_user, django_assert_num_queries):
    drinks = make_category(dealer, "DRINKS")
    juice = make_category(dealer, "JUICE", parent=drinks)
    food = make_category(dealer, "FOOD")
    in_root = make_item(dealer, category_id=drinks.pk)
    in_child = make_item(dealer, category_id=juice.pk)
    make_item(dealer, category_id=food.pk)
    make_item(dealer)
    actor = build_actor(admin_user)
    with django_assert_num_queries(1):
        found = list(selectors.list_items(actor=actor, category=drinks))
    assert {i.pk for i in found} == {in_root.pk, in_child.pk}


def test_tree_nests_children_by_sort_order(dealer, admin_user):
    drinks = make_category(dealer, "DRINKS", sort_order=2)
    food = make_category(dealer, "FOOD", sort_order=1)
    make_category(dealer, "WATER", parent=drinks, sort_order=5)
    make_category(dealer, "JUICE", parent=drinks, sort_order=1)
    tree = selectors.get_category_tree(actor=build_actor(admin_user))
    assert [n["code"] for n in tree] == ["FOOD", "DRINKS"]
    assert [n["code"] for n in tree[1]["children"]] == ["JUICE", "WATER"]
    below = selectors.get_category_tree(actor=build_actor(admin_user), root_id=drinks.pk)
    assert [n["code"] for n in below] == ["DRINKS"] and len(below[0]["children"]) == 2
    assert food.pk not in {n["id"] for n in below}
