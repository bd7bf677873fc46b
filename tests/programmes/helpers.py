"""Small fixtures for the screening tests: enterprises with hand-chosen figures."""

from decimal import Decimal

from smeplan.indicators.models import AnnualFigures
from smeplan.programmes.criteria import CriterionSpec
from smeplan.programmes.models import Programme
from tests.factories import OrganisationFactory, region


def firm(county="610113", industry="3311", **years):
    """years: y2023={"operating_revenue": 100, ...}; unspecified figures are NULL."""
    org = OrganisationFactory(county=region(county), industry_id=industry)
    for key, figures in years.items():
        AnnualFigures.objects.create(
            organisation=org,
            year=int(key[1:]),
            **{k: (None if v is None else Decimal(str(v))) for k, v in figures.items()},
        )
    return org


def spec(metric, operator="", **kw):
    if "threshold" in kw and kw["threshold"] is not None:
        kw["threshold"] = Decimal(str(kw["threshold"]))
    if "threshold_high" in kw:
        kw["threshold_high"] = Decimal(str(kw["threshold_high"]))
    if "choices" in kw:
        kw["choices"] = tuple(kw["choices"])
    return CriterionSpec(metric=metric, operator=operator, **kw)


def tier(code="growth-province", tier_code="industry_star"):
    return Programme.objects.get(code=code).tiers.get(code=tier_code)


def statuses(specs, year, *, area="province"):
    """{org id: (outcome, [criterion statuses])} by the engine over the whole province."""
    from smeplan.programmes.engine import OUTCOME_NAMES, Averages, evaluate, fields_of, outcome, years_back_of
    from smeplan.programmes.frame import frame_load

    frame = frame_load(year=year, years_back=max(2, years_back_of(specs)), fields=fields_of(specs))
    results = evaluate(frame, specs, averages=Averages(frame=frame), area=area)
    out = outcome(results, frame.n)
    names = {0: "pass", 1: "fail", 2: "incomplete", 3: "undefined"}
    return {
        int(i): (OUTCOME_NAMES[int(out[k])], [names[int(r.status[k])] for r in results])
        for k, i in enumerate(frame.ids)
    }
