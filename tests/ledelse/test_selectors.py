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
