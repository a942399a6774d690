"""Choices of the catalog, shared by the models and the pure policies (no database here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    PART = "part", _("Part")
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Service")


class Tracking(models.TextChoices):
    NONE = "none", _("Not tracked")
    LOT = "lot", _("By lot / batch")
    SERIAL = "serial", _("By serial number (VIN)")


class UnitKind(models.TextChoices):
    COUNT = "count", _("Count")
    VOLUME = "volume", _("Volume")
    MASS = "mass", _("Mass")
    LENGTH = "length", _("Length")


class BarcodeKind(models.TextChoices):
    EAN13 = "ean13", _("EAN-13")
    EAN8 = "ean8", _("EAN-8")
    UPC_A = "upc_a", _("UPC-A")
    GTIN14 = "gtin14", _("GTIN-14 / ITF-14 (case)")
    CODE128 = "code128", _("Code 128")
    QR = "qr", _("QR code")
    INTERNAL = "internal", _("Internal code")


class Powertrain(models.TextChoices):
    ICE = "ice", _("Internal combustion (ICE)")
    HEV = "hev", _("Hybrid (HEV)")
    PHEV = "phev", _("Plug-in hybrid (PHEV)")
    EREV = "erev", _("Range-extended electric (EREV)")
    BEV = "bev", _("Battery electric (BEV)")
