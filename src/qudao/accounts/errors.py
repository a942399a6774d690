"""Errors of the accounts app: stable codes, HTTP status, translated messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class InvalidPassword(QudaoError):
    code = "invalid_password"
    status = 422
    message = _("The password is not strong enough.")


class UsernameTaken(QudaoError):
    code = "username_taken"
    status = 409
    message = _("The username “%(username)s” is already taken.")


class MembershipRequired(QudaoError):
    code = "membership_required"
    status = 422
    message = _("A new user must work for at least one of the companies you administer.")


class CompanyNotAdministered(QudaoError):
    code = "company_not_administered"
    status = 403
    message = _("You do not administer the company “%(company)s”.")


class CompanyInactive(QudaoError):
    code = "company_inactive"
    status = 422
    message = _("The company “%(company)s” is not active.")


class RoleNotAllowedForCompany(QudaoError):
    code = "role_not_allowed_for_company"
    status = 422
    message = _("The role “%(role)s” needs a company that is a %(kind)s; “%(company)s” is not.")


class SiteNotInCompany(QudaoError):
    code = "site_not_in_company"
    status = 422
    message = _("Some sites do not belong to the company “%(company)s”.")


class MembershipExists(QudaoError):
    code = "membership_exists"
    status = 409
    message = _("This user already works for this company in this role.")


class LastCompanyAdmin(QudaoError):
    code = "last_company_admin"
    status = 409
    message = _("“%(company)s” would have no administrator left. Appoint another one first.")


class CannotDeactivateSelf(QudaoError):
    code = "cannot_deactivate_self"
    status = 409
    message = _("You cannot deactivate your own account.")


class UserManagedElsewhere(QudaoError):
    code = "user_managed_elsewhere"
    status = 403
    message = _(
        "This user also works for companies you do not administer (or is a platform administrator). "
        "You can change their memberships in your companies, not the account itself."
    )


class UnknownApiScope(QudaoError):
    code = "unknown_api_scope"
    status = 422
    message = _("Unknown API key scopes: %(scopes)s.")


class ApiScopeNotGranted(QudaoError):
    code = "api_scope_not_granted"
    status = 403
    message = _("An API key cannot create a key with more scopes than its own: %(scopes)s.")


class ApiKeyExpiryInPast(QudaoError):
    code = "api_key_expiry_in_past"
    status = 422
    message = _("The expiry date of an API key must be in the future.")
