"""The load summary printed by `qudao demo` (pure: no database)."""

from __future__ import annotations

from qudao.demo.summary import DemoSummary, DemoUser, display_width, format_table


def test_display_width_counts_cjk_as_two_columns():
    assert display_width("admin") == 5
    assert display_width("华东汽车") == 8
    assert display_width("A1（2）") == 7  # full-width brackets too


def test_format_table_aligns_mixed_width_text():
    lines = format_table([["用户", "公司"], ["hd.admin", "华东汽车集团"]], header=True, indent=2)
    assert lines == [
        "  用户      公司",
        "  --------  ------------",
        "  hd.admin  华东汽车集团",
    ]
    assert format_table([]) == []
    assert format_table([["a", "1"], ["bb", "22"]], align_right={1}) == ["a    1", "bb  22"]


def test_render_lists_counts_and_every_sign_in():
    summary = DemoSummary(
        seed=7,
        scale=2,
        seconds=1.25,
        counts={"customers": 400, "items": 1088},
        companies=["华东汽车集团有限公司"],
    )
    summary.users += [
        DemoUser("admin", "Qudao-demo-2026", "Platform administrator", "", "(platform)"),
        DemoUser(
            "hd.sales",
            "Qudao-demo-2026",
            "Sales representative",
            "sales_rep",
            "华东汽车集团有限公司",
            sites="华东汽车比亚迪浦东店",
        ),
    ]
    text = summary.render()
    assert "seed 7, scale 2" in text and "1.2 s" in text
    assert "华东汽车集团有限公司" in text
    lines = text.splitlines()
    assert any(line.split() == ["Customers", "400"] for line in lines)
    row = next(line for line in lines if line.lstrip().startswith("hd.sales"))
    assert row.split()[:2] == ["hd.sales", "Qudao-demo-2026"]
    assert row.endswith("华东汽车比亚迪浦东店")
    assert summary.user("hd.sales").role_code == "sales_rep"
