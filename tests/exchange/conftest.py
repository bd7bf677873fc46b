"""The import tests also go through the API: its client fixture."""

from tests.api.conftest import api_as  # noqa: F401
