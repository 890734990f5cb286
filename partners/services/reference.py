"""Partner register: loading the reference organisations."""

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from partners.models import Organisation, Region, Theme

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def _tooi_gemeente(code: str) -> str:
    return f"https://identifier.overheid.nl/tooi/id/gemeente/{code.lower()}"


def load_reference_organisations(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Create or update the reference organisations and regions. Idempotent.

    Rows are matched on CBS code where there is one, else on name; region rows that
    name an unknown municipality code are reported, not guessed.
    """
    report = LoadReport()
    geojson = json.loads((data_dir / "utrecht_gemeenten_2025.geojson").read_text("utf-8"))
    rows: list[dict[str, str]] = [
        {
            "name": feature["properties"]["statnaam"],
            "kind": Organisation.Kind.GEMEENTE,
            "cbs_code": feature["properties"]["statcode"],
            "tooi_uri": _tooi_gemeente(feature["properties"]["statcode"]),
            "website": "",
            "ended_on": "",
        }
        for feature in geojson["features"]
    ]
    with (data_dir / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        rows.extend(csv.DictReader(handle))
    with (data_dir / "regions.csv").open(encoding="utf-8", newline="") as handle:
        region_rows = list(csv.DictReader(handle))

    with (data_dir / "themes.csv").open(encoding="utf-8", newline="") as handle:
        theme_rows = list(csv.DictReader(handle))

    with transaction.atomic():
        for row in theme_rows:
            Theme.objects.update_or_create(slug=row["slug"], defaults={"name": row["name"]})
        for row in rows:
            values = {
                "name": row["name"],
                "kind": row["kind"],
                "tooi_uri": row.get("tooi_uri", ""),
                "ended_on": date.fromisoformat(row["ended_on"]) if row.get("ended_on") else None,
            }
            if row.get("website"):
                values["website"] = row["website"]
            if row.get("cbs_code"):
                lookup = {"cbs_code": row["cbs_code"]}
            else:
                lookup = {"name__iexact": row["name"]}
            organisation = Organisation.objects.filter(**lookup).first()
            if organisation is None:
                Organisation.objects.create(cbs_code=row.get("cbs_code", ""), **values)
                report.created.append(row["name"])
            else:
                for key, value in values.items():
                    setattr(organisation, key, value)
                organisation.save()
                report.updated.append(row["name"])

        by_code = {o.cbs_code: o for o in Organisation.objects.exclude(cbs_code="")}
        for row in region_rows:
            organisation = by_code.get(row["municipality_cbs_code"])
            if organisation is None:
                report.unmatched.append(
                    f"regions.csv: {row['region']} → {row['municipality_cbs_code']}"
                )
                continue
            region, _ = Region.objects.get_or_create(name=row["region"])
            if organisation.region_id != region.pk:
                organisation.region = region
                organisation.save(update_fields=["region", "updated_at"])
    return report
