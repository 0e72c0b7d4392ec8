"""The front page's frameworks (values.selectors.frameworks_for_reader, plain rows) and the
day's reflection questions (reading_questions) agree with the models' reads: the same
frameworks as framework_list_for_user within the region and the chain (drafts only for
their editors), the same labels and links, the same questions as questions_for_reading."""

from __future__ import annotations

from ledelse.models import RoleAssignment, Unit, User
from tests.values.factories import add_questions_and_links, make_framework
from values import selectors
from values.models import Framework


def _chain_ids(person) -> list[int]:
    return [u.pk for u in Unit.objects.get_ancestors(person.unit)] + [person.unit_id]


def test_the_reader_frameworks_agree_with_the_list_for_every_reader(org):
    make_framework(slug="region-grundlag", title="Regionens grundlag")
    make_framework(slug="lokalt", title="Hospital A's grundlag", owner_unit="Hospital A")
    make_framework(slug="kladde-grundlag", title="Et kladdegrundlag", status="kladde", owner_unit="Hospital A")
    make_framework(slug="b-grundlag", title="Hospital B's grundlag", owner_unit="Hospital B")
    # An editor of Hospital A's frameworks who reads them on their own front page.
    RoleAssignment.objects.create(person=org.people["leader2"], role="hr", unit=org.units["A"])
    for name in org.users:
        user = User.objects.get(pk=org.users[name].pk)  # as a new request reads them (the roles)
        person = org.people[name]
        chain = _chain_ids(person)
        rows = selectors.frameworks_for_reader(user=user, region_id=person.unit.region_id, chain_unit_ids=chain)
        expected = [
            f
            for f in selectors.framework_list_for_user(user=user)
            if (f.region_id == person.unit.region_id and f.owner_unit_id is None) or f.owner_unit_id in chain
        ]
        assert {r.pk for r in rows} == {f.pk for f in expected}, name
        by_pk = {f.pk: f for f in expected}
        for r in rows:
            f = by_pk[r.pk]
            assert (r.title, r.get_absolute_url(), r.get_kind_display(), r.owner_label) == (
                f.title,
                f.get_absolute_url(),
                f.get_kind_display(),
                f.owner_label,
            )
            assert (r.current_version_id, r.changed_at) == (f.current_version_id, f.current_version.changed_at)
        # The region's own first.
        assert [r.owner_unit_id is None for r in rows] == sorted((r.owner_unit_id is None for r in rows), reverse=True)
    titles = lambda name: [  # noqa: E731
        r.title
        for r in selectors.frameworks_for_reader(
            user=User.objects.get(pk=org.users[name].pk),
            region_id=org.region.pk,
            chain_unit_ids=_chain_ids(org.people[name]),
        )
    ]
    assert "Et kladdegrundlag" not in titles("employee") and "Et kladdegrundlag" in titles("leader2")
    assert "Hospital B's grundlag" not in titles("employee") and "Hospital A's grundlag" in titles("employee")


def test_the_reading_questions_agree_with_questions_for_reading(org):
    first = make_framework(slug="region-grundlag", title="Regionens grundlag")
    second = make_framework(slug="lokalt", title="Hospital A's grundlag", owner_unit="Hospital A")
    add_questions_and_links(second, first)
    person = org.people["employee"]
    rows = selectors.frameworks_for_reader(
        user=org.users["employee"], region_id=person.unit.region_id, chain_unit_ids=_chain_ids(person)
    )
    models = list(Framework.objects.filter(pk__in=[r.pk for r in rows]).select_related("current_version"))
    models.sort(key=lambda f: [r.pk for r in rows].index(f.pk))
    for seed in range(4):
        framework, questions = selectors.reading_questions(frameworks=rows, seed=seed)
        expected_framework, expected = selectors.questions_for_reading(frameworks=models, seed=seed)
        assert framework is not None and expected_framework is not None
        assert framework.pk == expected_framework.pk == second.pk
        assert [(q.text, q.key, q.heading) for q in questions] == [
            (q.text, q.item.key, q.item.heading) for q in expected
        ]
