import pytest

from tests.web.helpers import text


@pytest.mark.django_db
def test_the_import_pages_are_in_english_after_switching(client, english_catalog, yanta_officer):
    client.force_login(yanta_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/imports/"})

    listing = text(client.get("/imports/"))
    assert "Data import" in listing and "Upload a spreadsheet" in listing
    assert "Column mapping templates" in listing and "Nothing has been imported yet." in listing
    assert "数据导入" not in listing and "上传表格" not in listing

    upload = text(client.get("/imports/new/"))
    assert "Upload a spreadsheet" in upload and "Spreadsheet file" in upload
    assert "Upload and read" in upload and "None (read the columns automatically)" in upload
    assert "上传并识别" not in upload

    templates = text(client.get("/imports/templates/"))
    assert "Column mapping templates" in templates
    assert "No column mapping templates have been saved yet." in templates
