"""Pure generators of the bulky demo data: SKUs and business customers, as plain values.

No database here: each generator is a function of a seed (and of plain inputs such as the regions to
spread customers over), so "same seed → same data" is tested without a database, and the loaders
only write what was planned. Every part draws from its own `random.Random` (`part_rng`), so adding
a part never shifts the data of another.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

from qudao.catalog.policies import complete_gtin, is_valid_gtin
from qudao.demo.products import CASE_UNIT, CATALOG, EDITIONS, GS1_CHINA, PALLET_UNIT, UNITS, Leaf
from qudao.org.policies import CREDIT_CODE_ALPHABET, credit_code_check_char, validate_credit_code

PRICE_STEPS = (
    Decimal("0.90"),
    Decimal("0.95"),
    Decimal("1.00"),
    Decimal("1.00"),
    Decimal("1.05"),
    Decimal("1.10"),
    Decimal("1.20"),
)
GTIN_ITEM_REFERENCE_MAX = 99_999


def part_rng(seed: int, part: str) -> random.Random:
    """The random stream of one part of the demo (str seeds are hashed with SHA-512: stable)."""
    return random.Random(f"qudao-demo/{seed}/{part}")


def split_by_weight(total: int, weights: list[int]) -> list[int]:
    """Split `total` into integer shares proportional to `weights` (largest remainder, stable)."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    shares = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - shares[i], -i), reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def split_capped(total: int, weights: list[int], caps: list[int]) -> list[int]:
    """Like `split_by_weight`, but no share exceeds its cap: the overflow goes to the others."""
    if total > sum(caps):
        raise ValueError(f"cannot place {total} in capacities adding up to {sum(caps)}")
    shares = [0] * len(weights)
    remaining = total
    while remaining:
        open_ = [i for i in range(len(weights)) if shares[i] < caps[i]]
        extra = split_by_weight(remaining, [weights[i] for i in open_])
        for i, add in zip(open_, extra, strict=True):
            shares[i] += min(add, caps[i] - shares[i])
        remaining = total - sum(shares)
    return shares


#: registration authority 9 (market regulation) + kind: 1 enterprise, 2 individual business (个体工商户)
ENTERPRISE, INDIVIDUAL_BUSINESS = "91", "92"


def credit_code(rng: random.Random, region_code: str, kind: str = ENTERPRISE) -> str:
    """A unified social credit code with a valid check character: 91 (enterprise) or 92 (individual
    business) + division code + a 9-character organisation code + check (GB 32100-2015)."""
    body = kind + region_code + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return validate_credit_code(body + credit_code_check_char(body))


# --- SKUs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkuPlan:
    sku: str
    name: str
    brand: str
    root: str
    leaf: str
    base_unit: str
    #: unit code → base units per unit (the case, sometimes a pallet)
    packs: tuple[tuple[str, int], ...]
    #: unit code → EAN-13 (the base unit's and the case's codes)
    barcodes: tuple[tuple[str, str], ...]
    list_price: Decimal
    shelf_life_days: int | None
    attributes: dict = field(default_factory=dict, hash=False, compare=True)


def _leaf_combinations(leaf: Leaf, rng: random.Random, wanted: int) -> list[tuple[str, int, str, int, str]]:
    """(brand, product index, flavour, size index, edition), shuffled; editions only when needed."""
    base = [
        (brand, p, flavour, s, "")
        for brand in leaf.brands
        for p, prod in enumerate(leaf.products)
        for flavour in prod.flavours
        for s in range(len(prod.sizes))
    ]
    rng.shuffle(base)
    if wanted <= len(base):
        return base[:wanted]
    extra = [(b, p, f, s, edition) for (b, p, f, s, _), edition in product(base, EDITIONS)]
    rng.shuffle(extra)
    combos = base + extra
    # benchmark scales beyond the pools: retailer-exclusive variants (渠道定制款), numbered
    run = 0
    while len(combos) < wanted:
        run += 1
        combos.extend((b, p, f, s, f"渠道定制{run}号") for (b, p, f, s, _) in base)
    return combos[:wanted]


def leaf_capacity(leaf: Leaf) -> int:
    """Distinct SKUs a leaf's pools give without editions."""
    return len(leaf.brands) * sum(len(prod.flavours) * len(prod.sizes) for prod in leaf.products)


def leaf_shares(count: int, leaves: list[Leaf]) -> list[int]:
    """SKUs per leaf, by weight; plain names first, editions (家庭装 …) only past the pools' capacity."""
    weights = [leaf.weight for leaf in leaves]
    plain = [leaf_capacity(leaf) for leaf in leaves]
    if count <= sum(plain):
        return split_capped(count, weights, plain)
    with_editions = [cap * (1 + len(EDITIONS)) for cap in plain]
    if count <= sum(with_editions):
        more = split_capped(count - sum(plain), weights, [cap * len(EDITIONS) for cap in plain])
        return [a + b for a, b in zip(plain, more, strict=True)]
    more = split_by_weight(count - sum(with_editions), weights)
    return [a + b for a, b in zip(with_editions, more, strict=True)]


def _brand_prefixes(rng: random.Random) -> dict[str, str]:
    """A distinct 7-digit GS1 China company prefix (690xxxx–699xxxx) per brand."""
    brands = list(dict.fromkeys(b for root in CATALOG for leaf in root.leaves for b in leaf.brands))
    prefixes: dict[str, str] = {}
    used: set[str] = set()
    for brand in brands:
        while True:
            prefix = f"{rng.choice(GS1_CHINA)}{rng.randrange(10_000):04d}"
            if prefix not in used:
                break
        used.add(prefix)
        prefixes[brand] = prefix
    return prefixes


def sku_name(brand: str, product_name: str, flavour: str, size_label: str, edition: str) -> str:
    name = f"{brand}{product_name}"
    if flavour:
        name += f"（{flavour}）"
    name += f" {size_label}"
    if edition:
        name += f" {edition}"
    return name


def plan_skus(*, seed: int, count: int) -> list[SkuPlan]:
    """`count` distinct SKUs spread over the leaf categories by weight, with valid EAN-13s."""
    rng = part_rng(seed, "fmcg.skus")
    prefixes = _brand_prefixes(rng)
    next_reference = {brand: rng.randrange(100, 5_000) for brand in prefixes}
    leaves = [(root, leaf) for root in CATALOG for leaf in root.leaves]
    shares = leaf_shares(count, [leaf for _, leaf in leaves])
    plans: list[SkuPlan] = []
    for (root, leaf), share in zip(leaves, shares, strict=True):
        for seq, (brand, p, flavour, s, edition) in enumerate(_leaf_combinations(leaf, rng, share), start=1):
            prod = leaf.products[p]
            size = prod.sizes[s]
            reference = next_reference[brand]
            if reference + 1 > GTIN_ITEM_REFERENCE_MAX:
                raise ValueError(f"brand {brand} has no GTIN item references left")
            next_reference[brand] = reference + 2
            unit_ean = complete_gtin(f"{prefixes[brand]}{reference:05d}")
            case_ean = complete_gtin(f"{prefixes[brand]}{reference + 1:05d}")
            packs = [(CASE_UNIT, size.per_case)]
            if size.cases_per_pallet:
                packs.append((PALLET_UNIT, size.per_case * size.cases_per_pallet))
            price = (Decimal(size.price) * rng.choice(PRICE_STEPS)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            attributes = {
                "品牌": brand,
                "规格": size.label,
                "箱规": f"{size.per_case}{UNITS[size.unit][0]}/箱",
            }
            if flavour:
                attributes[leaf.variant] = flavour
            plans.append(
                SkuPlan(
                    sku=f"{leaf.code}-{seq:04d}",
                    name=sku_name(brand, prod.name, flavour, size.label, edition),
                    brand=brand,
                    root=root.code,
                    leaf=leaf.code,
                    base_unit=size.unit,
                    packs=tuple(packs),
                    barcodes=((size.unit, unit_ean), (CASE_UNIT, case_ean)),
                    list_price=price.quantize(Decimal("0.01")),
                    shelf_life_days=leaf.shelf_life_days,
                    attributes=attributes,
                )
            )
    return plans


def sku_digest(rows: list[tuple]) -> str:
    """SHA-256 of SKU rows (sku, name, base unit, barcodes, price …) in a canonical JSON form."""
    payload = json.dumps(
        [list(map(str, row)) for row in sorted(rows)], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def plan_rows(plans: list[SkuPlan]) -> list[tuple]:
    """The digest rows of planned SKUs (the loader's rows read back from the database match these)."""
    return [
        (
            p.sku,
            p.name,
            p.base_unit,
            ";".join(code for _, code in sorted(p.barcodes, key=lambda b: b[1])),
            format(p.list_price, "f"),
        )
        for p in plans
    ]


def check_plans(plans: list[SkuPlan]) -> None:
    """The rules the catalog services enforce, checked before a bulk insert (raises ValueError)."""
    skus, codes = set(), set()
    for plan in plans:
        if plan.sku in skus:
            raise ValueError(f"duplicate SKU {plan.sku}")
        skus.add(plan.sku)
        for _, code in plan.barcodes:
            if not is_valid_gtin(code, 13) or code in codes:
                raise ValueError(f"invalid or duplicate EAN-13 {code} on {plan.sku}")
            codes.add(code)
        if any(factor <= 1 for _, factor in plan.packs):
            raise ValueError(f"a pack of {plan.sku} holds no more than one base unit")
