import csv
import json
import shutil
from pathlib import Path

from partners.models import Organisation, Region
from partners.services import reference as services


def test_it_loads_the_26_municipalities_with_their_real_cbs_codes(db: None) -> None:
    report = services.load_reference_organisations()
    municipalities = Organisation.objects.filter(kind="gemeente").active()
    assert municipalities.count() == 26
    assert Organisation.objects.get(cbs_code="GM0344").name == "Utrecht"
    assert Organisation.objects.get(cbs_code="GM1961").name == "Vijfheerenlanden"
    assert Organisation.objects.get(cbs_code="PV26").kind == "provincie"
    assert Organisation.objects.filter(kind="waterschap").count() == 4
    assert Organisation.objects.get(name="Vianen").is_active is False
    assert Region.objects.get(name="U16").organisations.count() == 16
    assert report.unmatched == []


def test_loading_twice_changes_nothing(db: None) -> None:
    services.load_reference_organisations()
    before = list(Organisation.objects.values_list("name", "cbs_code", "region__name"))
    report = services.load_reference_organisations()
    after = list(Organisation.objects.values_list("name", "cbs_code", "region__name"))
    assert before == after
    assert report.created == []


def test_it_reports_region_rows_it_cannot_match(db: None, tmp_path: Path) -> None:
    for name in ["utrecht_gemeenten_2025.geojson", "organisations.csv", "themes.csv"]:
        shutil.copy(services.DATA_DIR / name, tmp_path / name)
    with (tmp_path / "regions.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region", "municipality_cbs_code"])
        writer.writerow(["U16", "GM0344"])
        writer.writerow(["U16", "GM9999"])
    report = services.load_reference_organisations(data_dir=tmp_path)
    assert report.unmatched == ["regions.csv: U16 → GM9999"]
    assert Organisation.objects.get(cbs_code="GM0344").region.name == "U16"


def test_the_bundled_geojson_is_the_utrecht_set(db: None) -> None:
    data = json.loads((services.DATA_DIR / "utrecht_gemeenten_2025.geojson").read_text())
    codes = {f["properties"]["statcode"] for f in data["features"]}
    assert len(codes) == 26 and "GM0355" in codes
