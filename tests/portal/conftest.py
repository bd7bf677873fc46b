"""The API clients of ``tests/api`` for the portal's API tests."""

from tests.api.conftest import api_as  # noqa: F401  (a fixture)
