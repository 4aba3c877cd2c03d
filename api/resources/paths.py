"""Path parameters shared by the resources.

Ids are bounded like the database's integer keys: a larger number is an ordinary 404 (no such
route), not a database overflow, and the spec tells clients the range.
"""

MAX_ID = 2**31 - 1


def id_param(name: str) -> str:
    return f"<int(min=1, max={MAX_ID}):{name}>"


GROUP_ID = id_param("group_id")
