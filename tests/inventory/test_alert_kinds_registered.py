"""The inventory alert kinds are known in every process (not only once the health job has run)."""

import subprocess
import sys


def test_a_fresh_process_knows_the_inventory_alert_kinds():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'qudao.config.settings'); "
        "django.setup(); from qudao.alerts.registry import get_alert_kind; "
        "print(*(get_alert_kind(k) is not None for k in "
        "('inventory.aged_stock', 'inventory.below_safety_stock')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
