"""The organisation import's MED columns: committees on unit rows, seats on person rows."""

import pytest

from ledelse.audit.models import AuditEntry
from ledelse.models import MedCommittee, MedMembership
from ledelse.organisation_import import OrganisationImportError, organisation_import
from tests.conftest import ORG_CSV

# The cast file with the two MED columns: Hospital A has an område-MED, Afdeling A1 a lokal-MED.
MED_SEATS = {
    "P2": "formand:A",
    "P3": "formand:A1;medlem:A",
    "P5": "næstformand:A1;medlem:A",
    "P6": "næstformand:A",
}
MED_UNITS = {"A": ("område-MED", ""), "A1": ("lokal-MED", "LMU Afdeling A1")}


def _med_csv(seats=None, units=None) -> str:
    seats = MED_SEATS if seats is None else seats
    units = MED_UNITS if units is None else units
    lines = ORG_CSV.strip().split("\n")
    out = [lines[0] + ",med,med_name"]
    for line in lines[1:]:
        kind, code = line.split(",")[:2]
        if kind == "unit":
            med, name = units.get(code, ("", ""))
            out.append(f"{line},{med},{name}")
        else:
            out.append(f"{line},{seats.get(code, '')},")
    return "\n".join(out) + "\n"


def _seats():
    return set(MedMembership.objects.values_list("committee__unit__code", "person__employee_id", "role"))


def test_it_imports_committees_and_their_seats(db):
    organisation_import(text=_med_csv())
    committees = {c.unit.code: (c.kind, c.name) for c in MedCommittee.objects.select_related("unit")}
    assert committees == {
        "A": ("omraade", "MED-udvalg Hospital A"),
        "A1": ("lokal", "LMU Afdeling A1"),
    }
    assert _seats() == {
        ("A", "P2", "formand"),
        ("A", "P3", "medlem"),
        ("A", "P5", "medlem"),
        ("A", "P6", "naestformand"),
        ("A1", "P3", "formand"),
        ("A1", "P5", "naestformand"),
    }


@pytest.mark.parametrize(
    "written,kind",
    [("hovedudvalg", "hovedudvalg"), ("HovedMED", "hovedudvalg"), ("Område-MED", "omraade"), ("lokaludvalg", "lokal")],
)
def test_the_danish_names_of_the_kinds_are_understood(db, written, kind):
    organisation_import(text=_med_csv(seats={}, units={"A": (written, "")}))
    assert MedCommittee.objects.get().kind == kind


def test_reimporting_the_same_file_changes_nothing(db):
    text = _med_csv()
    organisation_import(text=text)
    before = (list(MedCommittee.objects.values_list("pk", "kind", "name")), _seats(), AuditEntry.objects.count())
    report = organisation_import(text=text)
    assert not report.changed
    assert (
        list(MedCommittee.objects.values_list("pk", "kind", "name")),
        _seats(),
        AuditEntry.objects.count(),
    ) == before


def test_the_file_is_the_whole_truth_for_the_seats_of_its_people(db):
    organisation_import(text=_med_csv())
    # P5 leaves Hospital A's committee; P3 and P5 swap chair and vice-chair of A1's.
    report = organisation_import(
        text=_med_csv(seats={**MED_SEATS, "P3": "næstformand:A1;medlem:A", "P5": "formand:A1"})
    )
    assert report.updated["person"] == 2
    assert ("A", "P5", "medlem") not in _seats()
    assert {("A1", "P3", "naestformand"), ("A1", "P5", "formand")} <= _seats()


def test_a_unit_row_without_a_committee_removes_its_committee_and_seats(db):
    organisation_import(text=_med_csv())
    report = organisation_import(
        text=_med_csv(seats={"P2": "formand:A", "P6": "næstformand:A"}, units={"A": ("område-MED", "")})
    )
    assert list(MedCommittee.objects.values_list("unit__code", flat=True)) == ["A"]
    assert _seats() == {("A", "P2", "formand"), ("A", "P6", "naestformand")}
    assert report.updated["unit"] == 1


def test_a_file_without_the_med_columns_leaves_the_committees_as_they_are(db):
    organisation_import(text=_med_csv())
    before = _seats()
    organisation_import(text=ORG_CSV)
    assert _seats() == before
    assert MedCommittee.objects.count() == 2


def test_seats_are_audited_like_roles(db):
    organisation_import(text=_med_csv())
    details = set(
        AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_ADDED, actor_label="import").values_list(
            "detail", flat=True
        )
    )
    assert {"med-formand:A1", "med-naestformand:A1", "med-medlem:A"} <= details
    organisation_import(text=_med_csv(seats={**MED_SEATS, "P5": ""}))
    removed = set(AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_REMOVED).values_list("detail", flat=True))
    assert removed == {"med-naestformand:A1", "med-medlem:A"}


BAD_SEATS = [
    ({"P5": "næstformand:NOPE"}, {}, "med: enheden 'NOPE' findes ikke"),
    ({"P5": "medlem:B"}, {}, "med: enheden 'B' har intet MED-udvalg"),
    ({"P5": "kasserer:A1"}, {}, "med: ukendt rolle 'kasserer'"),
    ({"P5": "medlem"}, {}, "med: medlem skal have en enhed"),
    ({"P5": "medlem:A1;formand:A1"}, {}, "med: MED-udvalget ved 'A1' står to gange"),
    ({"P3": "formand:A1", "P5": "formand:A1"}, {}, "med: MED-udvalget ved 'A1' har allerede en formand på linje 11"),
    ({}, {"A1": ("bestyrelse", "")}, "ukendt MED-udvalg 'bestyrelse'"),
    ({}, {"A1": ("", "Et navn")}, "med_name er udfyldt, men med er tom"),
    ({}, {"A1": ("lokal", "Navn\x07")}, "med_name indeholder et usynligt kontroltegn"),
    ({}, {"A1": ("lokal", "x" * 201)}, "med_name må højst være 200 tegn"),
]


@pytest.mark.parametrize("seats,units,reason", BAD_SEATS)
def test_a_bad_med_cell_gives_its_line_and_reason_and_writes_nothing(db, seats, units, reason):
    with pytest.raises(OrganisationImportError) as exc:
        organisation_import(text=_med_csv(seats={**MED_SEATS, **seats}, units={**MED_UNITS, **units}))
    assert any(reason in message for _line, message in exc.value.errors), exc.value.errors
    assert MedCommittee.objects.count() == 0


def test_a_second_formand_beside_one_outside_the_file_is_refused(db):
    organisation_import(text=_med_csv())
    new_person = "person,P9,Nina Ny,,,,,,A1,nej,,,formand:A1,\n"
    header = ORG_CSV.split("\n")[0] + ",med,med_name\n"
    with pytest.raises(OrganisationImportError) as exc:
        organisation_import(text=header + new_person)
    assert exc.value.errors == [(2, "med: MED-udvalget ved 'A1' har allerede en formand (P3)")]


def test_seats_in_a_committee_outside_the_file_may_be_given(db):
    organisation_import(text=_med_csv())
    header = ORG_CSV.split("\n")[0] + ",med,med_name\n"
    organisation_import(text=header + "person,P9,Nina Ny,,,,,,A1,nej,,,medlem:A1,\n")
    assert ("A1", "P9", "medlem") in _seats()


def test_an_unchanged_reimport_with_med_runs_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    many = {f"X{i}": "medlem:A1" for i in range(40)}
    rows = "".join(f"person,X{i},Person {i},,,,,,A1,nej,,,medlem:A1,\n" for i in range(40))
    text = _med_csv() + rows
    organisation_import(text=text)
    assert MedMembership.objects.filter(committee__unit__code="A1").count() == 2 + len(many)
    with django_assert_max_num_queries(17):
        report = organisation_import(text=text)
    assert report.unchanged["person"] == 48
