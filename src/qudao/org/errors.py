"""Errors of the organisation app (stable codes; see core/errors.py for the shared ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class InUse(QudaoError):
    code = "in_use"
    status = 409
    message = _("%(record)s is still used by other records (%(used_by)s); deactivate it instead.")


class PlatformAdminOnly(QudaoError):
    code = "platform_admin_only"
    status = 403
    message = _("Only a platform administrator can do this: %(what)s")


class DealershipOverlap(QudaoError):
    code = "dealership_overlap"
    status = 409
    message = _("This dealer already holds a dealership of this brand for part of these dates.")


class SiteRestricted(QudaoError):
    code = "site_restricted"
    status = 403
    message = _("Your access is limited to some sites of this dealer; ask an administrator to add a site.")
