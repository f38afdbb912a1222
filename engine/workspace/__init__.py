"""The key-account workspace: accounts, the people at them and the competitors there, which
outlive any one project (domain §1-§5). Projects belong to accounts (`projects.py`); access
rules in `access.py`; use cases in `accounts.py`, `contacts.py`, `competitors.py`,
`stages.py`; the public face is `facade.Accounts`, reached as `Engine.accounts`."""
