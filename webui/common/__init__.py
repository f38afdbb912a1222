"""What several features of the web UI share: the request's engine and user, form data,
languages, reading the audit log for people, and field errors and choices."""
