"""Pagination of searched lists: no count of every match.

Counting every match of a common word costs as much as finding them all (issue "Document control":
search p95 < 50 ms over a million revisions). A searched list therefore reads one page and one row more,
with django-tables2's LazyPaginator, and says "more than N results" while there is a next page; on the
last page the total is known and shown.
"""

from django_tables2.paginators import LazyPaginator


class SearchPaginator(LazyPaginator):
    lazy = True  # read by core/partials/table.html

    def __init__(self, *args, **kwargs):
        self._final_count = None
        super().__init__(*args, **kwargs)

    def page(self, number):
        page = super().page(number)
        if self.is_last_page(page.number):
            self._final_count = (page.number - 1) * self.per_page + len(page.object_list)
        return page

    @property
    def count(self):
        """Known on the last page only (the template asks for it there)."""
        if self._final_count is None:
            raise NotImplementedError("The count of a searched list is known on its last page only.")
        return self._final_count
