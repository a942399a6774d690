from qudao.alerts import policies


def test_severity_ranks_in_order_of_seriousness():
    assert (
        policies.severity_rank("info")
        < policies.severity_rank("warning")
        < policies.severity_rank("critical")
    )


def test_escalated_only_upwards():
    assert policies.escalated("info", "critical") == "critical"
    assert policies.escalated("warning", "critical") == "critical"
    assert policies.escalated("critical", "warning") is None
    assert policies.escalated("warning", "warning") is None


def test_format_message_fills_params_or_gives_up():
    assert policies.format_message("%(item)s: %(qty)s left", {"item": "A", "qty": 3}) == "A: 3 left"
    assert policies.format_message("%(item)s: %(qty)s left", {"item": "A"}) is None
    assert policies.format_message("%(qty)d left", {"qty": "three"}) is None
    assert policies.format_message("no parameters", {}) == "no parameters"


def test_stale_keys_are_live_keys_no_longer_reported():
    assert policies.stale_keys({"a", "b", "c"}, {"b", "d"}) == {"a", "c"}
    assert policies.stale_keys(set(), {"a"}) == set()
