"""How the scoping matrix reaches org objects: a unit set up in a given village."""

from fangkong.org.models import CommandUnit, UnitKind


def unit_in(world, region) -> CommandUnit:
    unit, _ = CommandUnit.objects.get_or_create(
        region=region,
        parent=None,
        name=f"{region.name}防控工作站",
        defaults={"kind": UnitKind.HQ},
    )
    return unit


URL_CASES = {
    "org:unit_edit": lambda world, region: {"pk": unit_in(world, region).pk},
}
API_HIDDEN_MARKERS = {
    "org.unit": lambda world, region: unit_in(world, region).name,
}
