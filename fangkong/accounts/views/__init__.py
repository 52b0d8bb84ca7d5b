"""Account pages: sign-in, the user's own profile, user management and API tokens."""
