"""model_update: the services' one update loop (sets, reports what changed, never saves)."""

from dataclasses import dataclass

import pytest

from ledelse.models import Person
from ledelse.services import model_update

pytestmark = pytest.mark.django_db


@dataclass
class Change:
    name: str
    title: str


def test_it_sets_the_fields_and_names_the_changed_ones_without_saving(org):
    person = Person.objects.get(pk=org.people["employee"].pk)
    changed = model_update(instance=person, data={"name": "Nyt navn", "title": person.title})
    assert changed == ["name"] and person.name == "Nyt navn"
    assert Person.objects.get(pk=person.pk).name == "Emil Medarbejder"  # the caller saves


def test_it_reads_the_fields_of_a_dataclass(org):
    person = Person.objects.get(pk=org.people["employee"].pk)
    assert model_update(instance=person, data=Change("Ny", "Leder"), fields=("name", "title")) == ["name", "title"]
    with pytest.raises(TypeError):
        model_update(instance=person, data=Change("Ny", "Leder"))


def test_a_foreign_key_is_compared_by_id_without_a_query(org, django_assert_num_queries):
    person = Person.objects.get(pk=org.people["employee"].pk)
    with django_assert_num_queries(0):
        assert model_update(instance=person, data={"unit": org.units["A1"]}) == []
        assert model_update(instance=person, data={"unit": org.units["B"]}) == ["unit"]
    assert person.unit_id == org.units["B"].pk
