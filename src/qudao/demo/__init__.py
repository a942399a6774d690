"""Demo data in Chinese: an auto dealer group and an FMCG distributor with their brands, catalogs,
customers and a user for every role. `qudao demo` prints what `load_demo(...).render()` returns."""

from qudao.demo.errors import DemoAlreadyLoaded, DemoPrerequisiteMissing, DemoScaleInvalid
from qudao.demo.loader import load_demo
from qudao.demo.summary import DemoSummary, DemoUser
from qudao.demo.users import DEMO_PASSWORD

__all__ = [
    "DEMO_PASSWORD",
    "DemoAlreadyLoaded",
    "DemoPrerequisiteMissing",
    "DemoScaleInvalid",
    "DemoSummary",
    "DemoUser",
    "load_demo",
]
