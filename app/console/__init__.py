"""The city's console: what admins see and do in the browser at ``/verwaltung``."""
