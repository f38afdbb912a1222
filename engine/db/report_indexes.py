"""The indexes the reports read that the tables' own definitions do not hold.

The returns report groups the decided task rows (engine/reports/returns.py): a partial index of
the rows with a decision holds every column it reads, by project first, so a viewer's projects
lead to their decisions and the committee's whole view is read from the index alone; it holds
whether each was the project's first decision at its step, so one GROUP BY answers the first-pass
rate too. Migration 0020 creates it, 0022 adds `first_decision`. The report takes each decision's
project owner from `ix_instances_projects` (0022): for a viewer who sees every project SQLite walks
the projects of the home process there, in id order, without reading an instance row (which holds
its 25 KB workflow state).

The cycle-time report (engine/reports/cycle.py) reads `ix_tasks_cycle` (0023): every column it needs,
by project, step and opening time, so a viewer's projects lead to their activations and the window
over each project's activations of a step is fed in its own order, without a sort.

With a period, a viewer who sees every project reads the activations of a period's partial first
and last months from `ix_tasks_opened` (0038; 0041 added the step, the time and the project, so it
is read alone) and the rest from what is kept by month (engine/reports/kept_period.py).

A rep's or a manager's projects on an account in view (engine/reports/scope.py) are found through
`ix_instances_accounts` (0026): account, process and id, so each account in view leads to its
projects without reading an instance row on SQLite or scanning the table on PostgreSQL; their own projects
through `ix_instances_owner` (owner, process, id: 0037), from the index alone (PostgreSQL read
5,691 instance rows for a manager's ten people: 40 ms warm, 200 ms cold). 0037 drops
`ix_instances_account_id`: `ix_instances_accounts` serves every lookup by account.

The relationship coverage report (engine/reports/relationships.py) counts each account's contacts
by stage and going cold from `ix_contacts_coverage` (0036) alone: read through `ix_contacts_account`,
each of the committee's 45,000 contact rows was fetched for three columns (SQLite: 120 ms against 39).

No index may lead with `tasks.state` alone: SQLite, without statistics, takes an equality on an
index's first column for a way in, and every join of a project's open tasks (`instance_id = ? AND
state = 'open'`) then reads all open tasks for each project (0032 added such an index for the home
page's overdue groups and 0033 dropped it: the committee's pipeline took 28 s instead of 0.25 s).
"""
from __future__ import annotations

from sqlalchemy import Index, text

from .schema import Instance, Task
from .workspace import Contact

DECIDED = text("decision IS NOT NULL")

Index("ix_tasks_decisions", Task.instance_id, Task.bpmn_id, Task.closed_at, Task.decision, Task.reason_code,
      Task.first_decision, Task.name, sqlite_where=DECIDED, postgresql_where=DECIDED)
Index("ix_instances_projects", Instance.process_id, Instance.id, Instance.owner)
Index("ix_tasks_cycle", Task.instance_id, Task.bpmn_id, Task.created_at, Task.state, Task.closed_at, Task.duration_us,
      Task.name)
Index("ix_tasks_opened", Task.created_at, Task.bpmn_id, Task.duration_us, Task.instance_id)
Index("ix_instances_accounts", Instance.account_id, Instance.process_id, Instance.id)
Index("ix_instances_owner", Instance.owner, Instance.process_id, Instance.id)
Index("ix_contacts_coverage", Contact.account_id, Contact.relationship_stage, Contact.last_activity_on,
      Contact.created_at)
