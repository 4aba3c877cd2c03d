"""Pagination of SQLAlchemy ``select()`` statements for ``@blp.paginate(SQLPage)``.

Two queries per page whatever its size: one count, one page of rows (plus one per eager-loaded
relationship, which the view's statement declares with ``selectinload``).
"""

from flask_smorest import Page
from sqlalchemy import func, select

from api.extensions import db

# Past this page every list is empty anyway; a larger number would overflow the database's OFFSET.
MAX_PAGE = 100000


def beyond_last_page(page: int) -> bool:
    return page > MAX_PAGE


class SQLPage(Page):
    @property
    def items(self):
        if beyond_last_page(self.page_params.page):
            return []
        stmt = self.collection.limit(self.page_params.page_size).offset(self.page_params.first_item)
        return db.session.scalars(stmt).unique().all()

    @property
    def item_count(self):
        counted = self.collection.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted))
