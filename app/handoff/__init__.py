"""Hand-off of accepted applications to the city's specialist systems.

``base`` holds the backend interface and registry, ``document`` what every backend
carries (the application as JSON plus its files).
"""
