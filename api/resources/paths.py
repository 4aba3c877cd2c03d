"""Path pieces shared by resources.

Ids in paths are bounded like the database's integer keys: a larger number is simply not found (404),
instead of overflowing the database driver (a 500). The bounds also appear in the spec.
"""

ID = "int(min=1, max=2147483647)"
