"""Business services (Gewerbe): the trade register, its updates by decided trade
notifications, the register information and the XGewerbeanzeige-shaped hand-off data.

``plugin.register_builtin()`` registers the generators and the rule set the
definitions name; ``xgewerbeanzeige.register_builtin()`` the hand-off data mapper.
"""
