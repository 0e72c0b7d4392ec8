from ledelse.models import Person
from ledelse.selectors import person_own_leader, unit_chain_above, unit_subtree


def test_subtree_is_one_query(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = [u.code for u in unit_subtree(unit=org.units["A"])]
    assert codes == ["A", "A1", "A1a"]


def test_subtree_can_leave_out_the_unit_itself(org):
    assert [u.code for u in unit_subtree(unit=org.units["RT"], include_self=False)] == ["A", "A1", "A1a", "B", "HR"]


def test_chain_above_is_one_query_top_first(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = [u.code for u in unit_chain_above(unit=org.units["A1a"])]
    assert codes == ["RT", "A", "A1"]
    assert [u.code for u in unit_chain_above(unit=org.units["A1"], include_self=True)] == ["RT", "A", "A1"]
    assert list(unit_chain_above(unit=org.units["RT"])) == []


def test_a_leaders_own_leader_is_the_leader_of_the_unit_above(org):
    assert person_own_leader(person=org.people["leader2"]) == org.people["leader"]
    assert person_own_leader(person=org.people["leader"]) == org.people["koncern"]
    assert person_own_leader(person=org.people["koncern"]) is None


def test_an_employees_own_leader_is_the_leader_of_their_unit(org):
    assert person_own_leader(person=org.people["employee"]) == org.people["leader2"]


def test_a_unit_without_a_leader_reports_to_the_nearest_leader_above(org):
    person = Person.objects.create(employee_id="X1", name="Ny", unit=org.units["A1a"])
    assert person_own_leader(person=person) == org.people["leader2"]


def test_an_explicit_own_leader_wins(org):
    person = org.people["leader2"]
    person.own_leader = org.people["leader3"]
    person.save()
    assert person_own_leader(person=person) == org.people["leader3"]


def test_own_leader_is_one_query(org, django_assert_num_queries):
    person = Person.objects.select_related("unit").get(pk=org.people["leader2"].pk)
    with django_assert_num_queries(1):
        person_own_leader(person=person)


# --- The bulk helpers agree with treebeard ---------------------------------------------------


def _bigger_tree(org):
    """More units and people under the cast's tree: a leaderless unit between two led
    ones, an employee in a leaderless unit, an explicit own leader."""
    from ledelse.models import Unit

    a1a = org.units["A1a"]

    def child(parent, code):
        parent = Unit.objects.get(pk=parent.pk)
        return Unit.objects.add_child(
            parent, create_kwargs={"code": code, "name": code, "kind": "section", "region": parent.region}
        )

    deep = child(a1a, "D1")
    deeper = child(deep, "D2")
    b1 = child(org.units["B"], "B1")
    people = [
        Person.objects.create(employee_id="L-D2", name="Leder D2", unit=deeper, is_leader=True),
        Person.objects.create(employee_id="E-D2", name="Ansat D2", unit=deeper),
        Person.objects.create(employee_id="E-D1", name="Ansat D1", unit=deep),
        Person.objects.create(employee_id="L-B1", name="Leder B1", unit=b1, is_leader=True),
        Person.objects.create(employee_id="E-B1", name="Ansat B1", unit=b1),
        Person.objects.create(employee_id="E-X", name="Eksplicit", unit=deep, own_leader=org.people["leader3"]),
    ]
    return people


def _own_leader_by_treebeard(person):
    """The rule, read with treebeard's get_ancestors, one person at a time."""
    from ledelse.models import Unit

    if person.own_leader_id:
        return person.own_leader
    units = list(Unit.objects.get_ancestors(person.unit)) + ([] if person.is_leader else [person.unit])
    for unit in reversed(units):
        leaders = Person.objects.filter(unit=unit, is_leader=True).exclude(pk=person.pk).order_by("pk")
        if leaders:
            return leaders[0]
    return None


def test_ancestor_paths_agree_with_treebeard(org):
    from ledelse.models import Unit
    from ledelse.selectors import ancestor_paths

    _bigger_tree(org)
    for unit in Unit.objects.all():
        above = [u.path for u in Unit.objects.get_ancestors(unit)]
        assert ancestor_paths(unit.path) == above
        assert ancestor_paths(unit.path, include_self=True) == [*above, unit.path]


def test_branch_path_groups_each_unit_under_its_branch_as_treebeard_does(org):
    from ledelse.models import Unit
    from ledelse.selectors import branch_path

    _bigger_tree(org)
    for root in Unit.objects.all():
        below = Unit.objects.get_descendants(root)
        got = dict(below.annotate(branch=branch_path("path", depth=root.depth)).values_list("pk", "branch"))
        for unit in below:
            # The branch is the unit's ancestor (or itself) one level under the root.
            branch = (
                unit if unit.depth == root.depth + 1 else Unit.objects.get_ancestors(unit).get(depth=root.depth + 1)
            )
            assert got[unit.pk] == branch.path
        assert Unit.objects.filter(pk=root.pk).annotate(b=branch_path("path", depth=root.depth)).get().b == root.path


def test_subtree_q_agrees_with_treebeard(org):
    from ledelse.models import Unit
    from ledelse.selectors import subtree_q

    _bigger_tree(org)
    for unit in Unit.objects.all():
        assert set(Unit.objects.filter(subtree_q(unit))) == set(Unit.objects.get_descendants(unit)) | {unit}
        assert set(Unit.objects.filter(subtree_q(unit, include_self=False))) == set(Unit.objects.get_descendants(unit))
        people = Person.objects.filter(subtree_q(unit, prefix="unit__"))
        assert set(people) == set(Person.objects.filter(unit__in=[unit, *Unit.objects.get_descendants(unit)]))


def test_everyones_own_leader_in_bulk_agrees_with_treebeard_in_one_query(org, django_assert_num_queries):
    from ledelse.selectors import people_own_leaders

    _bigger_tree(org)
    people = list(Person.objects.select_related("unit"))
    with django_assert_num_queries(1):
        bulk = people_own_leaders(people)
    expected = {p.pk: _own_leader_by_treebeard(p) for p in people}
    assert bulk == expected
    by_id = {p.employee_id: p for p in people}
    # The cases the tree was made for.
    assert bulk[by_id["L-D2"].pk] == org.people["leader2"]  # past a leaderless unit
    assert bulk[by_id["E-D2"].pk] == by_id["L-D2"]  # an employee: their own unit's leader
    assert bulk[by_id["E-D1"].pk] == org.people["leader2"]
    assert bulk[by_id["E-B1"].pk] == by_id["L-B1"]
    assert bulk[by_id["L-B1"].pk] == org.people["leader3"]  # a leader: the unit above
    assert bulk[by_id["E-X"].pk] == org.people["leader3"]  # explicit wins
    assert all(person_own_leader(person=p) == expected[p.pk] for p in people)


def test_own_leader_and_chain_in_one_query_agrees_with_person_own_leader_and_the_chain(org, django_assert_num_queries):
    """The front page's one read of the own leader and the chain (plain rows) agrees with
    person_own_leader and unit_chain_above(include_self=True) for everyone: a leader's own
    leader is the leader of the unit above, past a leaderless unit, an employee's their own
    unit's leader, an explicit own leader wins, the region's top has none."""
    from ledelse.selectors import own_leader_and_chain

    _bigger_tree(org)
    people = list(Person.objects.select_related("unit"))
    for person in people:
        with django_assert_num_queries(1):
            leader, chain = own_leader_and_chain(person=person)
        expected = person_own_leader(person=person)
        assert (leader.pk if leader else None) == (expected.pk if expected else None), person.employee_id
        if expected is not None:
            assert (leader.name, leader.unit_name) == (expected.name, expected.unit.name)
        assert [(u.pk, u.name) for u in chain] == [
            (u.pk, u.name) for u in unit_chain_above(unit=person.unit, include_self=True)
        ]
    by_id = {p.employee_id: p for p in people}
    leader, _ = own_leader_and_chain(person=by_id["L-B1"])
    assert leader is not None and leader.pk == org.people["leader3"].pk  # a leader: the unit above
    leader, _ = own_leader_and_chain(person=by_id["E-X"])
    assert leader is not None and leader.pk == org.people["leader3"].pk  # explicit wins
    leader, chain = own_leader_and_chain(person=org.people["koncern"])
    assert leader is None and [u.name for u in chain] == [org.units["RT"].name]
