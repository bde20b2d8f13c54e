"""Who may sign in, what each role may do, and the audit log of every change."""
