"""Stable error codes of the demo loader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class DemoAlreadyLoaded(QudaoError):
    code = "demo_already_loaded"
    status = 409
    message = _(
        "The demo data is already loaded (or some of its companies or users exist: %(taken)s). "
        "Load it into an empty database."
    )


class DemoPrerequisiteMissing(QudaoError):
    code = "demo_prerequisite_missing"
    status = 409
    message = _("The demo data needs %(what)s. Run the database migrations first.")


class DemoScaleInvalid(QudaoError):
    code = "demo_scale_invalid"
    status = 422
    message = _("The demo scale is a whole number from 1 to %(max)d.")
