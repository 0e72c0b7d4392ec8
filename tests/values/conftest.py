import pytest
from django.core.management import call_command


@pytest.fixture
def frameworks(db):
    """The five shipped frameworks, loaded as `make run` loads them."""
    call_command("load_frameworks", verbosity=0)
