"""Factories for cases."""

from __future__ import annotations

from ipshield.cases import services
from ipshield.cases.models import Source, Track


def receive(
    world,
    *,
    unit=None,
    track=Track.ORDINARY,
    source=Source.COMPLAINT,
    title="销售假冒“保德红枣”商标的商品",
    description="某超市销售的红枣包装使用了与注册商标相同的标志。",
    **details,
):
    """A case received by ``unit`` (the county market bureau by default)."""
    return services.case_receive(
        actor=world.holder_user,
        source=source,
        unit=unit or world.market,
        title=title,
        description=description,
        track=track,
        **{"infringer_name": "保德县某商贸有限公司", **details},
    )
