# Benchmarks share the test fixtures (the cast of users, the browser) but run only with
# `make bench`, never in `make test`.
from tests.conftest import *  # noqa: F403
