"""Pagination of SQLAlchemy ``select()`` statements for ``@blp.paginate(SQLPage)``.

Two queries per page whatever its size: one count, one page of rows (plus one per eager-loaded
relationship, which the view's statement declares with ``selectinload``).
"""

from flask_smorest import Page
from sqlalchemy import func, select

from api.extensions import db

# Far beyond any real list; a larger page number would overflow the database's OFFSET (a 500).
MAX_OFFSET = 10_000_000


class SQLPage(Page):
    @property
    def items(self):
        if self.page_params.first_item > MAX_OFFSET:
            return []
        stmt = self.collection.limit(self.page_params.page_size).offset(self.page_params.first_item)
        return db.session.scalars(stmt).unique().all()

    @property
    def item_count(self):
        counted = self.collection.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted))
