"""Query budgets: every list page and every API list answers with a number of queries that does not grow with the
number of rows it shows (no N+1).

`registry.BUDGETS` has one `Budget` per list endpoint: its URL name, the role that sees the rows and how to make one
more row in that role's scope (`add(rows, i)`, each row with different related objects: owners, units, processes,
statuses...). `test_budgets.py` renders each endpoint with 2 rows and again with 6 and asserts the two query counts are
equal, or differ by at most the entry's documented `slack`. `test_every_list_endpoint_has_a_budget` fails when a list
endpoint (a page whose view is an ObjectListView or whose URL name ends in `_list`, an API route named `*-list`) has
no entry and is not in the commented `NOT_ROW_LISTS` exclusions.
"""
