"""Who sees which part of the status: koncernledelse and HR their scope, a leader their own
subtree, employees nothing (404) — on the page and on both exports."""

import pytest

from ledelse.status import access

URLS = ["/status/", "/status/status.csv", "/status/status.xlsx", "/status/status.pdf"]


def test_the_scope_follows_the_roles(org):
    def roots(name):
        return [u.code for u in access.status_roots(org.users[name])]

    assert roots("koncern") == ["RT"]
    assert roots("hr") == ["A"]  # HR for Hospital A, working in HR-afdeling
    assert roots("leader") == ["A"]
    assert roots("leader2") == ["A1"]
    assert roots("employee") == []
    assert sorted(roots("admin")) == ["RA", "RT"]


@pytest.mark.parametrize("url", URLS)
def test_an_employee_gets_404(client, org, status_data, url):
    client.force_login(org.users["employee"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_sign_in_is_required(client, org, status_data, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("user", "opens_at", "may", "may_not"),
    [
        ("koncern", "RT", ["A", "A1", "B"], ["RA"]),
        ("hr", "A", ["A1", "A1a"], ["RT", "B", "HR"]),
        ("leader", "A", ["A1"], ["RT", "B"]),
        ("leader2", "A1", ["A1a"], ["A", "RT"]),
        ("leader3", "B", [], ["A", "RT"]),
        ("admin", "RT", ["A", "B", "RA"], []),
    ],
)
def test_each_role_sees_its_own_part(client, org, status_data, user, opens_at, may, may_not):
    client.force_login(org.users[user])
    response = client.get("/status/")
    assert response.status_code == 200
    assert response.context["filters"].root == org.units[opens_at]
    for code in may:
        assert client.get(f"/status/?unit={org.units[code].pk}").status_code == 200, code
    for code in may_not:
        for url in URLS:
            assert client.get(f"{url}?unit={org.units[code].pk}").status_code == 404, (code, url)


def test_a_leader_in_another_region_sees_no_rollout_of_this_one(client, org, status_data):
    client.force_login(org.users["outsider"])
    response = client.get("/status/")
    assert response.status_code == 200 and response.context["filters"] is None
    assert client.get(f"/status/?rollout={status_data.rollout.pk}").context["filters"] is None
    assert client.get("/status/status.csv").status_code == 404


def test_a_bad_unit_is_a_404(client, org, status_data):
    client.force_login(org.users["koncern"])
    assert client.get("/status/?unit=abc").status_code == 404
    assert client.get("/status/?unit=999999").status_code == 404


def test_a_unit_that_is_not_a_number_is_not_found(client, org, status_data):
    client.force_login(org.users["koncern"])
    for unit in ("abc", "²", "١٢"):  # superscript two and Arabic-Indic digits are str.isdigit()
        assert client.get(f"/status/?unit={unit}").status_code == 404
