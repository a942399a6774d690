"""Customers of a dealer: groups, customers (businesses and people), their contacts and addresses.

Rows change through the services (parties/services/); the model's `clean()` applies the same field
rules (parties/validation.py) so that console forms and Excel imports report them per field.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.money import CurrencyField, MoneyField
from qudao.core.scoping import ScopeSpec
from qudao.parties.states import CUSTOMER_STATES, CustomerStatus

__all__ = [
    "Address",
    "AddressKind",
    "BusinessType",
    "Contact",
    "Customer",
    "CustomerGroup",
    "CustomerKind",
    "CustomerSource",
    "CustomerStatus",
    "IdType",
]


class CustomerKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    INDIVIDUAL = "individual", _("Individual")


class BusinessType(models.TextChoices):
    KA_CHAIN = "ka_chain", _("KA chain")
    WHOLESALER = "wholesaler", _("Wholesaler")
    RETAIL_STORE = "retail_store", _("Retail store")
    FLEET = "fleet", _("Fleet")
    OTHER = "other", _("Other business")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAU_PERMIT = "hk_macau_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGN_RESIDENT_PERMIT = "foreign_resident_permit", _("Foreign permanent resident ID card")
    OTHER = "other", _("Other document")


class CustomerSource(models.TextChoices):
    """How the customer was acquired (the `source` of lead and acquisition analyses)."""

    WALK_IN = "walk_in", _("Walk-in")
    REFERRAL = "referral", _("Referral")
    PHONE = "phone", _("Phone inquiry")
    ONLINE = "online", _("Online / website")
    ECOMMERCE = "ecommerce", _("E-commerce platform")
    EXHIBITION = "exhibition", _("Exhibition / event")
    SALES_VISIT = "sales_visit", _("Sales visit")
    BRAND_LEAD = "brand_lead", _("Lead from the brand")
    IMPORT = "import", _("Imported from another system")
    OTHER = "other", _("Other")


class AddressKind(models.TextChoices):
    BILLING = "billing", _("Billing")
    SHIPPING = "shipping", _("Shipping")
    REGISTERED = "registered", _("Registered office")


class CustomerGroup(DealerOwnedModel):
    """A dealer's grouping of customers (price lists and analyses use it)."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="parties_group_code_unique"),
            models.CheckConstraint(condition=~Q(code=""), name="parties_group_code_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Customer(DealerOwnedModel):
    """Someone a dealer sells to: a business (KA chain, wholesaler, store, fleet) or a person."""

    code = models.CharField(
        _("code"), max_length=32, blank=True, help_text=_("Leave empty to number automatically (C-000123).")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.BUSINESS
    )
    business_type = models.CharField(
        _("business type"),
        max_length=16,
        choices=BusinessType.choices,
        blank=True,
        help_text=_("Businesses only."),
    )
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("18 characters (GB 32100-2015); the check character is verified."),
    )
    mobile = models.CharField(_("mobile phone"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    id_type = models.CharField(_("identity document"), max_length=24, choices=IdType.choices, blank=True)
    id_number_masked = models.CharField(
        _("document number (masked)"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Only a masked form is stored; the full number is never kept in clear."),
    )
    id_number_digest = models.CharField(
        _("document number digest"), max_length=64, blank=True, editable=False, db_index=True
    )
    customer_group = models.ForeignKey(
        CustomerGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("customer group"),
    )
    channel = models.ForeignKey(
        "org.Channel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
    )
    home_site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home site"),
        help_text=_("Users limited to some sites see the customers of those sites."),
    )
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sales representative"),
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    credit_limit = MoneyField(_("credit limit"), default=0)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=0)
    currency = CurrencyField(_("currency"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=CustomerSource.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CustomerStatus.choices, default=CustomerStatus.PROSPECT
    )
    status_reason = models.CharField(_("reason of the last status change"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    first_purchase_at = models.DateTimeField(_("first purchase at"), null=True, blank=True, editable=False)
    last_purchase_at = models.DateTimeField(_("last purchase at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="home_site")
    state_machine = CUSTOMER_STATES

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="parties_customer_code_unique"),
            models.CheckConstraint(condition=~Q(code=""), name="parties_customer_code_not_empty"),
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="parties_customer_credit_limit_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(payment_terms_days__lte=365), name="parties_customer_payment_terms_lte_365"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CustomerKind.values), name="parties_customer_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CustomerStatus.values), name="parties_customer_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=CustomerKind.INDIVIDUAL, business_type="")
                    | Q(kind=CustomerKind.BUSINESS, business_type__in=BusinessType.values)
                ),
                name="parties_customer_business_type_by_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["dealer", "status"], name="parties_cust_dealer_status_idx"),
            models.Index(fields=["dealer", "name"], name="parties_cust_dealer_name_idx"),
            models.Index(fields=["dealer", "mobile"], name="parties_cust_dealer_mobile_idx"),
            models.Index(fields=["dealer", "credit_code"], name="parties_cust_dealer_uscc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def clean(self) -> None:
        from qudao.parties.validation import customer_problems, raise_validation_error

        raise_validation_error(customer_problems(self))

    def validate_constraints(self, exclude=None):
        # An empty code is numbered when the customer is saved (services): not a form error.
        if not self.code:
            exclude = {*(exclude or ()), "code"}
        super().validate_constraints(exclude=exclude)


class Contact(DealerOwnedModel):
    """A person to talk to at a customer; at most one is the primary contact."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wechat_id = models.CharField(_("WeChat ID"), max_length=64, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="customer__home_site")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer_id", "-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_primary=True), name="parties_contact_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from qudao.parties.validation import contact_problems, raise_validation_error

        raise_validation_error(contact_problems(self))

    def validate_constraints(self, exclude=None):
        # A new primary contact replaces the old one (the services demote it): not a form error.
        super().validate_constraints(exclude={*(exclude or ()), "is_primary"})


class Address(DealerOwnedModel):
    """A billing, shipping or registered address; one default address per kind and customer."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("customer")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=AddressKind.choices, default=AddressKind.SHIPPING
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Preferably the district or county."),
    )
    line = models.CharField(_("street address"), max_length=300)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Empty: the region's coordinates."),
    )
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    receiver_name = models.CharField(_("receiver name"), max_length=100, blank=True)
    receiver_phone = models.CharField(_("receiver phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="customer__home_site")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["customer_id", "kind", "-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind"],
                condition=Q(is_default=True),
                name="parties_address_one_default_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="parties_address_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="parties_address_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AddressKind.values), name="parties_address_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.line}"

    def clean(self) -> None:
        from qudao.parties.validation import address_problems, raise_validation_error

        raise_validation_error(address_problems(self))

    def validate_constraints(self, exclude=None):
        # A new default address replaces the old one (the services demote it): not a form error.
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})
