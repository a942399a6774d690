"""Organisation: companies and their roles, dealerships, sites, channels, regions, territories."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel, TimeStampedModel
from qudao.core.scoping import Actor, ScopeSpec
from qudao.org.validators import validate_channel_kinds, validate_credit_code, validate_polygon

LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


def _company_scope(queryset, actor: Actor, for_write: bool):
    if actor.is_platform_admin:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    if for_write:
        own = sorted(actor.own_dealer_ids | actor.brand_ids | actor.supplier_ids)
        return queryset.filter(Q(pk__in=own) | Q(owner__in=sorted(actor.own_dealer_ids)))
    visible = sorted(actor.company_ids | actor.dealer_ids)
    return queryset.filter(Q(pk__in=visible) | Q(owner__in=sorted(actor.dealer_ids)) | Q(is_public=True))


class Company(TimeStampedModel):
    """A legal entity. One company may hold several roles (a dealer that is also a carrier)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters (GB 32100-2015); the check character is verified."),
    )
    is_brand = models.BooleanField(_("brand"), default=False)
    is_dealer = models.BooleanField(_("dealer"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_carrier = models.BooleanField(_("carrier"), default=False)
    is_financier = models.BooleanField(_("financier"), default=False)
    owner = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_companies",
        verbose_name=_("registered by"),
        help_text=_("The dealer whose master data this is (e.g. its own supplier). Empty: platform-wide."),
    )
    is_public = models.BooleanField(
        _("listed in the directory"),
        default=False,
        help_text=_("Visible (read only) to every signed-in user, e.g. a brand or a national carrier."),
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(custom=_company_scope)

    ROLE_FIELDS = ("is_brand", "is_dealer", "is_supplier", "is_carrier", "is_financier")

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_brand=True)
                | Q(is_dealer=True)
                | Q(is_supplier=True)
                | Q(is_carrier=True)
                | Q(is_financier=True),
                name="company_has_a_role",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def roles(self) -> list[str]:
        return [f.removeprefix("is_") for f in self.ROLE_FIELDS if getattr(self, f)]


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")


class CoordinateSource(models.TextChoices):
    """Where a region's coordinates come from (see org/data/ATTRIBUTION.md)."""

    CPCA = "cpca", _("cpca, same code")
    CPCA_RENAMED = "cpca_renamed", _("cpca, renamed division")
    DISTRICTS_MEAN = "districts_mean", _("mean of its districts")
    CITY = "city", _("its city (approximate)")
    PROVINCE = "province", _("its province seat (approximate)")
    MANUAL = "manual", _("entered by hand")


def _public_master_data(queryset, actor: Actor, for_write: bool):
    if actor.is_platform_admin:
        return queryset
    if for_write or not actor.is_authenticated:
        return queryset.none()
    return queryset


class Region(models.Model):
    """China's administrative divisions (NBS 2023 codes; coordinates from cpca). Shared master data."""

    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("6-digit division code"))
    name = models.CharField(_("name"), max_length=80)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    coordinates_source = models.CharField(
        _("coordinates from"), max_length=16, blank=True, choices=CoordinateSource.choices
    )

    scope_spec = ScopeSpec(custom=_public_master_data)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


def _territory_scope(queryset, actor: Actor, for_write: bool):
    if actor.is_platform_admin:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    if for_write:
        return queryset.filter(owner__in=sorted(actor.own_dealer_ids | actor.brand_ids))
    return queryset.filter(
        Q(owner__in=sorted(actor.company_ids | actor.dealer_ids))
        | Q(
            pk__in=Dealership.objects.filter(dealer__in=sorted(actor.own_dealer_ids))
            .exclude(territory=None)
            .values("territory")
        )
    )


class Territory(TimeStampedModel):
    """A sales area: a set of regions and/or a polygon (GeoJSON, WGS84 lon/lat)."""

    owner = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="territories", verbose_name=_("owner")
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="territories", verbose_name=_("regions")
    )
    polygon = models.JSONField(
        _("polygon (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_polygon],
        help_text=_(
            "A GeoJSON Polygon or MultiPolygon, positions as [longitude, latitude]. "
            "When empty, the territory is the listed regions."
        ),
    )

    history = HistoricalRecords(m2m_fields=[regions])
    scope_spec = ScopeSpec(custom=_territory_scope)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["owner_id", "code"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="territory_code_unique")]

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    KA = "ka", _("Key account (KA supermarket)")
    WHOLESALE = "wholesale", _("Traditional wholesale")
    RETAIL_STORE = "retail_store", _("Retail store")
    GROUP_BUY = "group_buy", _("Community group-buy")
    ECOMMERCE = "ecommerce", _("E-commerce")
    SOCIAL = "social", _("Social / distributor")
    DIRECT = "direct", _("Direct")


class Channel(DealerOwnedModel):
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["dealer_id", "code"]
        constraints = [models.UniqueConstraint(fields=["dealer", "code"], name="channel_code_unique")]

    def __str__(self) -> str:
        return self.name


def _dealership_scope(queryset, actor: Actor, for_write: bool):
    if actor.is_platform_admin:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    if for_write:
        return queryset.filter(brand__in=sorted(actor.brand_ids))
    return queryset.filter(Q(dealer__in=sorted(actor.own_dealer_ids)) | Q(brand__in=sorted(actor.brand_ids)))


class DealershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class Dealership(TimeStampedModel):
    """A dealer authorised by a brand, for a territory and channels, between two dates."""

    brand = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="dealerships_granted",
        verbose_name=_("brand"),
        limit_choices_to={"is_brand": True},
    )
    dealer = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="dealerships",
        verbose_name=_("dealer"),
        limit_choices_to={"is_dealer": True},
    )
    dealer_code = models.CharField(_("dealer code at the brand"), max_length=32, blank=True)
    territory = models.ForeignKey(
        Territory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dealerships",
        verbose_name=_("territory"),
    )
    channel_kinds = models.JSONField(
        _("authorised channel kinds"),
        default=list,
        blank=True,
        validators=[validate_channel_kinds],
        help_text=_("Empty: every channel kind."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DealershipStatus.choices, default=DealershipStatus.ACTIVE
    )

    history = HistoricalRecords()
    scope_spec = ScopeSpec(custom=_dealership_scope)

    class Meta:
        verbose_name = _("dealership")
        verbose_name_plural = _("dealerships")
        ordering = ["brand_id", "dealer_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="dealership_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(brand=models.F("dealer")), name="dealership_not_self"),
        ]
        indexes = [models.Index(fields=["dealer", "brand", "status"], name="dealership_dealer_brand_idx")]

    def __str__(self) -> str:
        return f"{self.brand} → {self.dealer}"


class SiteKind(models.TextChoices):
    CENTRAL_WAREHOUSE = "central_warehouse", _("Central warehouse")
    REGIONAL_WAREHOUSE = "regional_warehouse", _("Regional warehouse")
    FORWARD_WAREHOUSE = "forward_warehouse", _("Forward warehouse")
    STORE = "store", _("Store")
    WORKSHOP = "workshop", _("Workshop")


class Site(DealerOwnedModel):
    """A place where a dealer keeps stock or serves customers."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    brands = models.ManyToManyField(
        Company,
        blank=True,
        related_name="brand_sites",
        verbose_name=_("brands"),
        limit_choices_to={"is_brand": True},
        help_text=_("Brands sold or serviced here (a multi-brand 4S store lists several)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[brands])
    scope_spec = ScopeSpec(dealer="dealer", site="pk")

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="site_code_unique"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="site_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="site_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
