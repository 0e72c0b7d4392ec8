"""Any text as the search (GET q) and as its page number gives the search page: results, or
a Danish message of why not (tests/fuzz_text.py for the text), never a 500."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_text import CONTROL_MESSAGE, NUL_MESSAGE, bad_text, fuzz_settings

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]  # also on SQLite (make test)

URL = "/ledelsesgrundlag/soeg/"

# What the page says when a search finds nothing or cannot be made.
MESSAGES = (
    NUL_MESSAGE,
    CONTROL_MESSAGE,
    "Skriv et eller flere søgeord.",
    "Søgningen er for lang",
    "mindst ét ord",
    "kun af meget almindelige ord",
)


@pytest.fixture
def reader(client, org, frameworks):
    client.force_login(org.users["employee"])
    return client


@fuzz_settings
@given(q=bad_text, page=st.one_of(st.none(), bad_text, st.sampled_from(["²", "٣", "9" * 5000, "-1", "0", "1e3"])))
def test_any_search_and_page_give_results_or_a_danish_message(reader, q, page):
    params = {"q": q} | ({"page": page} if page is not None else {})
    response = reader.get(URL, params)
    assert response.status_code == 200
    body = response.content.decode()
    # The results (hits or none: the fragment is cached, so its context may not be there) or why not.
    assert response.context["results"] is not None or any(m in body for m in MESSAGES)


def test_a_page_number_of_other_digits_is_the_first_page(reader):
    # "²".isdigit() is true and int("²") raises: this was a 500.
    response = reader.get(URL, {"q": "tillid", "page": "²"})
    assert response.status_code == 200
    assert response.context["hits"]
