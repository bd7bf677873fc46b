"""An uploaded sheet is stored under a random name and reachable only through the permission-checked
download of its batch, never as a public URL."""

import pytest

from smeplan.exchange.models import ImportBatch
from tests.factories import OrganisationFactory, UserFactory, county_officer, region
from tests.web.import_files import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_stored_file_has_no_public_url(client):
    org = OrganisationFactory()
    data = xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 1, 1]])
    client.force_login(county_officer())
    client.post("/imports/new/", {"file": upload(data, "秘密报表.xlsx")})
    batch = ImportBatch.objects.get()
    assert "秘密报表" not in batch.source_file.name and batch.source_file.name.endswith(".xlsx")
    assert client.get(f"/_private-media/{batch.source_file.name}").status_code == 404
    assert client.get(f"/media/{batch.source_file.name}").status_code == 404

    download = client.get(f"/imports/{batch.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == data

    client.force_login(UserFactory(role="county_officer", region=region("610302")))
    assert client.get(f"/imports/{batch.pk}/file/").status_code == 404
