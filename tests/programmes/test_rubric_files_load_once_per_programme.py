"""``rubric_files_load`` stores each data file as its programme's next rubric version (checked by the
design check), skips programmes that do not exist yet and files already loaded; transformation-demo
has its version from the data migration."""

import pytest

from smeplan.programmes.models import OwnerLevel, Programme, RubricVersion
from smeplan.programmes.rubric import DATA_FOLDER, rubric_files_load, rubric_version_for


@pytest.mark.django_db
def test_files_load_once_and_the_version_in_force_follows_the_effective_year():
    demo = Programme.objects.get(code="transformation-demo")
    assert rubric_version_for(demo, 2017).title == "转型升级示范企业专家评分细则"
    assert rubric_version_for(demo, 2016) is None
    for code, name in (("innovative-sme", "创新型中小企业"), ("specialised-sme", "专精特新中小企业")):
        Programme.objects.create(code=code, name=name, owner_level=OwnerLevel.PROVINCE)
    assert rubric_files_load(DATA_FOLDER) == 2  # the two new programmes; transformation-demo had its own
    assert rubric_files_load(DATA_FOLDER) == 0
    specialised = RubricVersion.objects.get(programme__code="specialised-sme")
    assert (specialised.number, specialised.effective_year) == (1, 2022)
    assert rubric_version_for(specialised.programme, 2021) is None
    assert rubric_version_for(specialised.programme, 2025) == specialised
