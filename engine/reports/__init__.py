"""Reports a sales director steers by (issue 9): the 80/20 portfolio, the pipeline, cycle time,
returns, overdue tasks and relationship coverage.

The maths lives in modules that need no database (`stats`, `pareto`, `durations`); each report
is one use case that reads only the rows its viewer may see (`scope`) and hands plain rows to
the maths. `facade.Reports` is `eng.reports`.
"""
