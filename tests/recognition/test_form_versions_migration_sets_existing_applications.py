"""The data migration that loads the configured forms sets every application without a form version
on the version in force for its year (or the programme's first one), and adds no version twice."""

import importlib

import pytest
from django.apps import apps

from smeplan.programmes.models import FormVersion
from smeplan.recognition import services
from smeplan.recognition.models import Application
from tests.factories import tier_of
from tests.recognition.make import applicant

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module(
    "smeplan.recognition.migrations.0004_form_versions_of_the_configured_forms"
)


def test_existing_applications_get_the_version_of_their_year():
    _org, user = applicant()
    old = services.application_start(actor=user, tier=tier_of("growth-province", "growth_star"), year=2010)
    _org, other = applicant()
    recent = services.application_start(
        actor=other, tier=tier_of("growth-province", "growth_star"), year=2024
    )
    annex = FormVersion.objects.get(
        programme__code="growth-province", purpose="application", effective_year=2017
    )
    assert old.form_version == annex  # before the first version: the programme's first one
    Application.objects.update(form_version=None)
    versions = FormVersion.objects.count()
    MIGRATION.forwards(apps, None)
    assert FormVersion.objects.count() == versions
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.form_version == annex and recent.form_version == annex
