"""The team: members and their accounts, sign-in and sessions, what each role may do."""
