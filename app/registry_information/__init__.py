"""The simple registry information (einfache Melderegisterauskunft) as a plugin.

``plugin.register_builtin()`` registers the rule set ``registry_unique_match`` and the
document generator ``registry_information`` (both named by the service's definition);
``register.register_builtin()`` registers the demo resident register ``demo``.
"""

from app.registry_information.plugin import InformationGenerator, UniqueMatchRule
from app.registry_information.register import DemoRegister, ResidentRegister, registers

__all__ = [
    "DemoRegister",
    "InformationGenerator",
    "ResidentRegister",
    "UniqueMatchRule",
    "registers",
]
