"""The downloadable error report of an import: the original rows with an "error" column (CSV, UTF-8
with a BOM so that Excel opens it right, or XLSX).

The uploaded file and its problems are kept in the default file storage (shared by every web
process) under imports/<dealer id>/<token>; a report is read back only by an actor of that dealer.
Reports older than a day are removed when a new report of the dealer is saved."""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import NotFound
from qudao.core.scoping import Actor
from qudao.sales.services.imports_read import read_import_file

KEEP = timedelta(days=1)
FORMATS = ("csv", "xlsx")


def _folder(dealer_id: int) -> str:
    return f"imports/{int(dealer_id)}"


def save_report(
    *, dealer_id: int, name: str, content: bytes, problems: list[dict], skipped: dict[int, str]
) -> str:
    """Keep the file and its problems; returns the report's token."""
    _purge(dealer_id)
    key = secrets.token_urlsafe(18)
    folder = _folder(dealer_id)
    default_storage.save(f"{folder}/{key}.source", ContentFile(content))
    meta = {"name": name, "problems": problems, "skipped": {str(k): v for k, v in skipped.items()}}
    default_storage.save(f"{folder}/{key}.json", ContentFile(json.dumps(meta, ensure_ascii=False).encode()))
    return f"{int(dealer_id)}-{key}"


def _purge(dealer_id: int) -> None:
    folder = _folder(dealer_id)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    limit = timezone.now() - KEEP
    for file in files:
        path = f"{folder}/{file}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue


def _split(token: str) -> tuple[int, str] | None:
    dealer, _sep, key = token.partition("-")
    if not dealer.isdigit() or len(dealer) > 18 or not 10 <= len(key) <= 40:
        return None
    if not all(c.isalnum() or c in "-_" for c in key):
        return None
    return int(dealer), key


def _base(actor: Actor, token: str) -> str:
    parts = _split(token)
    if parts is None or not (actor.is_platform_admin or parts[0] in actor.own_dealer_ids):
        raise NotFound()
    base = f"{_folder(parts[0])}/{parts[1]}"
    if not default_storage.exists(f"{base}.json"):
        raise NotFound()
    return base


def load_source(*, actor: Actor, token: str) -> tuple[str, bytes]:
    """The file kept with a report (a dry run's upload, imported afterwards without a new upload)."""
    base = _base(actor, token)
    with default_storage.open(f"{base}.json", "rb") as fh:
        name = json.loads(fh.read().decode())["name"]
    with default_storage.open(f"{base}.source", "rb") as fh:
        return name, fh.read()


def build_report(*, actor: Actor, token: str, fmt: str) -> tuple[str, bytes, str]:
    """(file name, bytes, content type) of a report; 404 when absent or not the actor's dealer's."""
    if fmt not in FORMATS:
        raise NotFound()
    base = _base(actor, token)
    with default_storage.open(f"{base}.json", "rb") as fh:
        meta = json.loads(fh.read().decode())
    with default_storage.open(f"{base}.source", "rb") as fh:
        content = fh.read()
    file = read_import_file(name=meta["name"], content=content)
    errors: dict[int, list[str]] = {}
    for problem in meta["problems"]:
        errors.setdefault(int(problem["row"]), []).append(f"{problem['column']}: {problem['message']}")
    skipped = {int(k): v for k, v in meta["skipped"].items()}
    header = [*file.header, _("error")]
    rows = [header]
    for number, cells in file.rows:
        text = "; ".join(errors.get(number, [])) or skipped.get(number, "")
        rows.append([*cells, *[""] * (len(file.header) - len(cells)), text])
    stem = meta["name"].rsplit(".", 1)[0] or "import"
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return f"{stem}-errors.csv", ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("errors")[:31])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return (
        f"{stem}-errors.xlsx",
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
