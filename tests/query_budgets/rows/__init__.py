"""`Rows`: the world of tests/conftest.py and the builders that add one more listed row to it.

Each builder `add(rows, i)` makes the i-th row of one kind in the scope of the role the budget signs in as (the
`own` agency, its province, or everything for the administrator), made through the apps' own services where they
exist, every row with its own related objects (another owner, unit, process, procedure; statuses taking turns), so
that a list which fetched a relation per row would show it in its query count.
"""

from tests.query_budgets.rows.base import *  # noqa: F403
from tests.query_budgets.rows.organizations import *  # noqa: F403
from tests.query_budgets.rows.oversight import *  # noqa: F403
from tests.query_budgets.rows.qms_records import *  # noqa: F403
from tests.query_budgets.rows.qms_year import *  # noqa: F403
