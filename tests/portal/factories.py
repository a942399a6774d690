"""Portal factories: a dealer with stock and prices (the order center's world), a retailer user who
orders for one store, a second store of the same dealer it must never see, and a sales rep."""

from __future__ import annotations

from dataclasses import dataclass

from qudao.accounts.models import Role, User
from qudao.parties.models import Customer
from qudao.portal.actors import PortalActor, build_portal_actor
from qudao.portal.services import grant_portal_access
from tests.factories import make_user
from tests.inventory.factories import ROOT
from tests.parties.factories import make_customer
from tests.sales.factories import World, make_world

PASSWORD = "Qudao-test-2026!"


@dataclass
class Shop:
    world: World
    retailer: User
    store: Customer
    other_store: Customer
    rep: User

    def actor(self) -> PortalActor:
        actor = build_portal_actor(self.retailer)
        assert actor is not None
        return actor


def make_shop(dealer, *, username: str = "store.owner", rep_username: str = "rep", **world) -> Shop:
    w = make_world(dealer, **world)
    retailer = make_user(dealer, Role.RETAILER_USER, username=username, password=PASSWORD)
    rep = make_user(dealer, Role.SALES_REP, username=rep_username, password=PASSWORD)
    other = make_customer(dealer, name="隔壁便利店")
    w.customer.name = "张记便利店"
    w.customer.sales_rep = rep
    w.customer.save(update_fields=["name", "sales_rep"])
    grant_portal_access(actor=ROOT, data={"user_id": retailer.pk, "customer_id": w.customer.pk})
    return Shop(world=w, retailer=retailer, store=w.customer, other_store=other, rep=rep)


def png(width: int = 32, height: int = 24) -> bytes:
    """A real (red) PNG image, made without Pillow: the photo of a signed delivery note."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\xdc\x26\x26" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
