"""The city's official street list: import from CSV with a report of what changes.

``csv_list`` reads the file (every problem named by line and column), ``report``
compares it with the directory in use, ``importing`` previews or applies it.
"""
